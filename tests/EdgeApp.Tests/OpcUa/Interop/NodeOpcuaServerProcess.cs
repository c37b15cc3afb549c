using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace EdgeApp.Tests.OpcUa.Interop;

/// <summary>A node-opcua server (tests/interop/server.js) in a child process, stopped on dispose.</summary>
public sealed class NodeOpcuaServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private NodeOpcuaServerProcess(Process process, string endpointUrl, string namespaceUri)
    {
        _process = process;
        EndpointUrl = endpointUrl;
        NamespaceUri = namespaceUri;
    }

    public string EndpointUrl { get; }

    public string NamespaceUri { get; }

    public Process Process => _process;

    /// <summary>Starts server.js; bench variables s=V0.. change every <paramref name="changeIntervalMs"/> when it is above 0.</summary>
    public static async Task<NodeOpcuaServerProcess> StartAsync(int variableCount = 0, TimeSpan? startTimeout = null, int changeIntervalMs = 0, int? port = null)
    {
        NodeRunner.EnsureInstalled();
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var chosen = port ?? FreePort();
        var process = Process.Start(NodeRunner.StartInfo("server.js", chosen.ToString(invariant), variableCount.ToString(invariant), changeIntervalMs.ToString(invariant)))!;
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(startTimeout ?? TimeSpan.FromSeconds(90));
        try
        {
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(cts.Token)
                    ?? throw new InvalidOperationException($"server.js exited before it was ready. stderr: {stderr}");
                if (!line.StartsWith("{", StringComparison.Ordinal))
                {
                    continue;
                }

                var ready = JsonDocument.Parse(line).RootElement;
                if (!ready.GetProperty("ready").GetBoolean())
                {
                    throw new InvalidOperationException("server.js failed: " + ready.GetProperty("error").GetString());
                }

                // Keep draining stdout so the child never blocks on a full pipe.
                _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                return new NodeOpcuaServerProcess(process, ready.GetProperty("endpointUrl").GetString()!, ready.GetProperty("namespaceUri").GetString()!);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or JsonException)
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            Assert.Fail($"node-opcua server did not start: {ex.Message}. stderr: {stderr}");
            throw;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Ends the process abruptly, as a crash would.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process.HasExited)
        {
            _process.Dispose();
            return;
        }

        try
        {
            _process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or IOException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
