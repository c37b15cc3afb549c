namespace EdgeApp.Deploy.Output;

/// <summary>A generated file: a path relative to the output folder (forward slashes) and its full text.</summary>
public sealed record OutputFile(string Path, string Content, bool Executable = false);
