using System.Buffers.Binary;
using System.Text;

namespace EdgeApp.OpcUa.Encoding;

/// <summary>
/// UA Binary decoder (Part 6 §5.2) over a span. Every read checks the remaining length first, and every length or
/// count from the wire is checked against <see cref="DecodingContext"/> limits before anything is allocated.
/// Failures throw <see cref="OpcUaException"/> with BadDecodingError or BadEncodingLimitsExceeded.
/// </summary>
public ref partial struct UaReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly DecodingContext _context;
    private int _position;
    private int _depth;
    private long _allocated;

    public UaReader(ReadOnlySpan<byte> data, DecodingContext? context = null)
    {
        _data = data;
        _context = context ?? DecodingContext.Default;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public readonly DecodingContext Context => _context;

    private ReadOnlySpan<byte> Take(int count)
    {
        if ((uint)count > (uint)(_data.Length - _position))
        {
            throw new OpcUaException(StatusCodes.BadDecodingError, $"Needed {count} bytes at offset {_position}, {Remaining} left.");
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }

    public bool ReadBoolean() => Take(1)[0] != 0;

    public byte ReadByte() => Take(1)[0];

    public sbyte ReadSByte() => (sbyte)Take(1)[0];

    public short ReadInt16() => BinaryPrimitives.ReadInt16LittleEndian(Take(2));

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public DateTime ReadDateTime() => UaDateTime.FromWire(ReadInt64());

    public StatusCode ReadStatusCode() => new(ReadUInt32());

    public Guid ReadGuid() => new(Take(16));

    public string? ReadString()
    {
        var length = ReadLength(_context.MaxStringLength, "String");
        if (length < 0)
        {
            return null;
        }

        try
        {
            return length == 0 ? string.Empty : StrictUtf8.GetString(Take(length));
        }
        catch (DecoderFallbackException ex)
        {
            throw new OpcUaException(StatusCodes.BadDecodingError, "String is not valid UTF-8.", ex);
        }
    }

    public byte[]? ReadByteString()
    {
        var length = ReadLength(_context.MaxByteStringLength, "ByteString");
        return length < 0 ? null : Take(length).ToArray();
    }

    /// <summary>A ByteString as a slice of the input, for bodies decoded in place (no copy).</summary>
    public ReadOnlySpan<byte> ReadByteStringSpan()
    {
        var length = ReadLength(_context.MaxByteStringLength, "ByteString");
        return length < 0 ? default : Take(length);
    }

    public UaXmlElement ReadXmlElement()
    {
        var length = ReadLength(_context.MaxByteStringLength, "XmlElement");
        return length < 0 ? default : new UaXmlElement(System.Text.Encoding.UTF8.GetString(Take(length)));
    }

    /// <summary>Reads the rest as raw bytes (for callers that frame their own payload).</summary>
    public ReadOnlySpan<byte> ReadRemaining() => Take(Remaining);

    /// <summary>
    /// Reads a String/ByteString/array length: -1 (or any negative, per Part 6) is null; a length beyond the limit or
    /// beyond the bytes left is rejected before allocation.
    /// </summary>
    private int ReadLength(int limit, string what, int minElementSize = 1)
    {
        var length = ReadInt32();
        if (length < 0)
        {
            return -1;
        }

        if (length > limit)
        {
            throw new OpcUaException(StatusCodes.BadEncodingLimitsExceeded, $"{what} length {length} exceeds the limit {limit}.");
        }

        if ((long)length * minElementSize > Remaining)
        {
            throw new OpcUaException(StatusCodes.BadDecodingError, $"{what} length {length} exceeds the {Remaining} bytes left.");
        }

        return length;
    }

    /// <summary>
    /// Allocates an array for <paramref name="count"/> decoded elements, charging its size to the message's allocation
    /// budget (<see cref="DecodingContext.MaxAllocationFactor"/> x the message size) first.
    /// </summary>
    public T[] NewArray<T>(int count)
    {
        if (count <= 0)
        {
            return [];
        }

        _allocated += (long)count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var budget = Math.Max(_context.MinAllocationBudget, (long)_data.Length * _context.MaxAllocationFactor);
        if (_allocated > budget)
        {
            throw new OpcUaException(StatusCodes.BadEncodingLimitsExceeded, $"Decoding would allocate more than {budget} bytes of arrays for a {_data.Length}-byte message.");
        }

        return new T[count];
    }

    /// <summary>An array element count, -1 for null; checked against MaxArrayLength and the bytes left.</summary>
    public int ReadArrayLength(int minElementSize = 1) => ReadLength(_context.MaxArrayLength, "Array", minElementSize);

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private void Enter()
    {
        if (++_depth > _context.MaxNestingDepth)
        {
            throw new OpcUaException(StatusCodes.BadEncodingLimitsExceeded, $"Nesting deeper than {_context.MaxNestingDepth}.");
        }
    }

    private void Leave() => _depth--;

    public T ReadEncodeable<T>()
        where T : IEncodeable<T>
    {
        Enter();
        var value = T.Decode(ref this);
        Leave();
        return value;
    }

    public T[] ReadEncodeableArray<T>()
        where T : IEncodeable<T>
    {
        var count = ReadArrayLength();
        if (count <= 0)
        {
            return [];
        }

        var result = NewArray<T>(count);
        for (var i = 0; i < count; i++)
        {
            result[i] = ReadEncodeable<T>();
        }

        return result;
    }

    public string?[] ReadStringArray()
    {
        var count = ReadArrayLength(4);
        var result = NewArray<string?>(count);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = ReadString();
        }

        return result;
    }

    public StatusCode[] ReadStatusCodeArray()
    {
        var count = ReadArrayLength(4);
        var result = NewArray<StatusCode>(count);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = ReadStatusCode();
        }

        return result;
    }

    public uint[] ReadUInt32Array()
    {
        var count = ReadArrayLength(4);
        var result = NewArray<uint>(count);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = ReadUInt32();
        }

        return result;
    }
}
