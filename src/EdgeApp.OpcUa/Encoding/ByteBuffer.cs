using System.Buffers;

namespace EdgeApp.OpcUa.Encoding;

/// <summary>
/// A growable, pooled, contiguous output buffer. Contiguous so encoders can reserve a length and backfill it
/// (ExtensionObject bodies, chunk headers); pooled so steady-state encoding allocates nothing. Reuse with <see cref="Reset"/>.
/// </summary>
public sealed class ByteBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] _array;

    public ByteBuffer(int initialCapacity = 4096)
    {
        _array = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 64));
    }

    /// <summary>Bytes written so far.</summary>
    public int Length { get; private set; }

    public int Capacity => _array.Length;

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, Length);

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, Length);

    /// <summary>Writable view of already written bytes, for backfilling reserved fields.</summary>
    public Span<byte> WrittenSpanMutable => _array.AsSpan(0, Length);

    public void Reset() => Length = 0;

    public void Advance(int count)
    {
        if ((uint)count > (uint)(_array.Length - Length))
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        Length += count;
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 1));
        return _array.AsSpan(Length);
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 1));
        return _array.AsMemory(Length);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Length += bytes.Length;
    }

    private void Ensure(int size)
    {
        if (_array.Length - Length >= size)
        {
            return;
        }

        var next = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, Length + size));
        _array.AsSpan(0, Length).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_array);
        _array = next;
    }

    public void Dispose()
    {
        var array = _array;
        _array = [];
        Length = 0;
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}

/// <summary>A small pool of <see cref="ByteBuffer"/>s for message encoding, so a steady request stream allocates none.</summary>
public static class ByteBufferPool
{
    private const int MaxPooled = 64;
    private const int MaxPooledCapacity = 1 << 20;
    private static readonly System.Collections.Concurrent.ConcurrentQueue<ByteBuffer> Pool = new();
    private static int _count;

    public static ByteBuffer Rent()
    {
        if (Pool.TryDequeue(out var buffer))
        {
            Interlocked.Decrement(ref _count);
            buffer.Reset();
            return buffer;
        }

        return new ByteBuffer(8192);
    }

    /// <summary>Returns a buffer; very large ones are released instead of being kept.</summary>
    public static void Return(ByteBuffer buffer)
    {
        if (buffer.Capacity > MaxPooledCapacity || Interlocked.Increment(ref _count) > MaxPooled)
        {
            if (buffer.Capacity <= MaxPooledCapacity)
            {
                Interlocked.Decrement(ref _count);
            }

            buffer.Dispose();
            return;
        }

        buffer.Reset();
        Pool.Enqueue(buffer);
    }
}
