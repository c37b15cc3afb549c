using System.Security.Cryptography;
using EdgeApp.OpcPublisher.Engine;
using Microsoft.Extensions.Options;

namespace EdgeApp.OpcPublisher.Configuration;

/// <summary>
/// The configuration in force: the last published-nodes content that was valid. New content (the watched file, the
/// fetched URL) replaces it only when it parses and validates; otherwise the error is kept for the health check and
/// the last good configuration keeps running. API changes are applied the same way and written back to the file.
/// </summary>
public sealed partial class PublishedNodesStore(PublisherEngine engine, IOptions<OpcPublisherOptions> options, TimeProvider time, ILogger<PublishedNodesStore> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<PublishedNodesEntry> _entries = [];
    private byte[]? _lastHash;
    private string? _lastContentError;

    public IReadOnlyList<PublishedNodesEntry> Entries => _entries;

    /// <summary>Why the latest content was not taken (file, position, field); null once valid content was loaded.</summary>
    public string? LastError { get; private set; }

    public bool Loaded { get; private set; }

    public DateTimeOffset? LoadedAt { get; private set; }

    /// <summary>The file API changes are written to; null when the configuration comes from a URL.</summary>
    public string? File => options.Value.PublishedNodesFile is { Length: > 0 } file ? file : null;

    /// <summary>Takes new content if it is valid and differs from what runs. Returns false (and keeps the old) when invalid.</summary>
    public async Task<bool> LoadAsync(byte[] content, string source, CancellationToken cancellationToken)
    {
        var hash = SHA256.HashData(content);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_lastHash is not null && hash.AsSpan().SequenceEqual(_lastHash))
            {
                // Readable again with the same content: only that content's own problem (if any) still stands.
                LastError = _lastContentError;
                return _lastContentError is null;
            }

            PublishedNodesDocument document;
            try
            {
                document = PublishedNodesParser.Parse(content, source);
            }
            catch (PublishedNodesException ex)
            {
                LastError = ex.Message;
                _lastContentError = ex.Message;
                _lastHash = hash; // the same broken content is reported once
                LogInvalid(ex.Message, _entries.Count);
                return false;
            }

            foreach (var warning in document.Warnings)
            {
                LogWarning(warning);
            }

            await engine.ApplyAsync(document.Entries, cancellationToken);
            _entries = document.Entries;
            _lastHash = hash;
            _lastContentError = null;
            LastError = null;
            Loaded = true;
            LoadedAt = time.GetUtcNow();
            LogLoaded(source, document.Entries.Count, document.Entries.Sum(e => e.OpcNodes.Count));
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The file or URL could not be read: reported, the running configuration stays.</summary>
    public void ReportUnreadable(string source, string problem)
    {
        var message = $"{source}: cannot be read: {problem}";
        if (LastError != message)
        {
            LastError = message;
            LogUnreadable(message, _entries.Count);
        }
    }

    /// <summary>
    /// Applies an edit (the API), then writes the file. <paramref name="edit"/> returns null to apply the change, or a
    /// problem to refuse it with nothing changed.
    /// </summary>
    public async Task<string?> ChangeAsync(Func<List<PublishedNodesEntry>, string?> edit, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var entries = _entries.ToList();
            if (edit(entries) is { } problem)
            {
                return problem;
            }

            entries.RemoveAll(e => e.OpcNodes.Count == 0);

            // Written (durably) before it is applied: a change that cannot be saved is not made.
            var content = PublishedNodesWriter.Write(entries);
            if (File is { } file)
            {
                await WriteDurablyAsync(file, content, cancellationToken);
                _lastHash = SHA256.HashData(content); // the watcher sees our own write as no change
                _lastContentError = null;
            }

            await engine.ApplyAsync(entries, cancellationToken);
            _entries = entries;
            Loaded = true;
            LoadedAt = time.GetUtcNow();

            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Temporary file, fsync, rename: after a power loss the file is the old content or the new, never empty.</summary>
    private static async Task WriteDurablyAsync(string file, byte[] content, CancellationToken cancellationToken)
    {
        var temporary = file + ".tmp";
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await stream.WriteAsync(content, cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        System.IO.File.Move(temporary, file, overwrite: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published nodes from {Source}: {Entries} entries, {Nodes} nodes")]
    private partial void LogLoaded(string source, int entries, int nodes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Invalid published nodes, keeping the last good configuration ({Entries} entries): {Problem}")]
    private partial void LogInvalid(string problem, int entries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Problem}; keeping the last good configuration ({Entries} entries)")]
    private partial void LogUnreadable(string problem, int entries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private partial void LogWarning(string warning);
}
