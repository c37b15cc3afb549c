using System.CommandLine;
using EdgeApp.Deploy.Diagnostics;
using EdgeApp.Deploy.Manifest;
using EdgeApp.Deploy.Output;

namespace EdgeApp.Deploy.Cli;

/// <summary><c>generate</c>: manifest (given, or published by the AppHost) -> the Kubernetes tree.</summary>
public static class GenerateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var outputOption = new Option<string>("--output", "-o") { Description = "Folder to write (replaced on each run)", Required = true };
        var manifestOption = new Option<string?>("--manifest", "-m") { Description = "An aspire-manifest.json to read instead of running the AppHost" };
        var appHostOption = new Option<string>("--apphost") { Description = "AppHost project whose manifest publisher runs when --manifest is absent", DefaultValueFactory = _ => "src/EdgeApp.AppHost" };
        var namespaceOption = new Option<string>("--namespace", "-n") { Description = "Namespace of the edge overlay (dev gets <namespace>-dev)", DefaultValueFactory = _ => "edge-app1" };
        var registryOption = new Option<string?>("--registry") { Description = "Container registry prefix for the module images" };
        var tagOption = new Option<string>("--tag") { Description = "Image tag of the module images", DefaultValueFactory = _ => "latest" };
        var overlayOption = new Option<string>("--overlay") { Description = "Overlay that Flux and Arc deploy", DefaultValueFactory = _ => "edge" };
        overlayOption.AcceptOnlyFromAmong([.. GeneratorSettings.Overlays]);
        var parameterOption = new Option<string[]>("--parameter", "-p") { Description = "Value of a non-secret parameter: name=value (repeatable)", AllowMultipleArgumentsPerToken = false };
        var otlpOption = new Option<string>("--otlp-endpoint") { Description = "OTLP/gRPC endpoint of the OpenTelemetry collector", DefaultValueFactory = _ => new GeneratorSettings().OtlpEndpoint };
        var repositoryOption = new Option<string>("--repository-url") { Description = "Git repository Flux pulls from", DefaultValueFactory = _ => new GeneratorSettings().RepositoryUrl };
        var branchOption = new Option<string>("--branch") { Description = "Git branch Flux follows", DefaultValueFactory = _ => "main" };
        var repositoryPathOption = new Option<string?>("--repository-path") { Description = "The output folder's path inside the repository (default: the --output value)" };

        var command = new Command("generate", "Turn the AppHost's Aspire manifest into Kustomize base/overlays, Dapr components and Flux/Arc GitOps files")
        {
            outputOption, manifestOption, appHostOption, namespaceOption, registryOption, tagOption, overlayOption,
            parameterOption, otlpOption, repositoryOption, branchOption, repositoryPathOption,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var outputDirectory = parse.GetValue(outputOption)!;
                var settings = new GeneratorSettings
                {
                    Namespace = parse.GetValue(namespaceOption)!,
                    Registry = parse.GetValue(registryOption),
                    Tag = parse.GetValue(tagOption)!,
                    Overlay = parse.GetValue(overlayOption)!,
                    OtlpEndpoint = parse.GetValue(otlpOption)!,
                    RepositoryUrl = parse.GetValue(repositoryOption)!,
                    Branch = parse.GetValue(branchOption)!,
                    RepositoryPath = parse.GetValue(repositoryPathOption) ?? RelativeToCurrent(outputDirectory),
                    Parameters = ParseParameters(parse.GetValue(parameterOption) ?? []),
                };

                var manifestPath = parse.GetValue(manifestOption);
                string? temporary = null;
                if (manifestPath is null)
                {
                    temporary = Path.Combine(Path.GetTempPath(), $"edgeapp-manifest-{Guid.NewGuid():N}.json");
                    manifestPath = await AppHostManifestPublisher.PublishAsync(parse.GetValue(appHostOption)!, temporary, output, cancellationToken);
                }

                try
                {
                    var result = Generator.Generate(AspireManifest.Load(manifestPath), settings);
                    OutputWriter.Write(outputDirectory, result.Files);
                    foreach (var warning in result.Warnings)
                    {
                        await error.WriteLineAsync($"warning: {warning}");
                    }

                    await output.WriteLineAsync($"Wrote {result.Files.Count} files to {outputDirectory}");
                    await output.WriteLineAsync("Container images expected (dotnet publish -t:PublishContainer):");
                    foreach (var image in result.Images)
                    {
                        await output.WriteLineAsync($"  {image}");
                    }
                }
                finally
                {
                    if (temporary is not null && File.Exists(temporary))
                    {
                        File.Delete(temporary);
                    }
                }

                return 0;
            }
            catch (DeployException e)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static Dictionary<string, string> ParseParameters(IEnumerable<string> values)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new DeployException("(settings)", "--parameter", $"'{value}' is not name=value");
            }

            parameters[value[..equals]] = value[(equals + 1)..];
        }

        return parameters;
    }

    private static string RelativeToCurrent(string directory)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.GetFullPath(directory)).Replace('\\', '/');
        return relative.StartsWith("..", StringComparison.Ordinal) ? "deploy/k8s" : relative;
    }
}
