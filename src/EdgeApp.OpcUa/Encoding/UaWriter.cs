using System.Buffers.Binary;
using System.Text;

namespace EdgeApp.OpcUa.Encoding;

/// <summary>
/// UA Binary encoder (Part 6 §5.2): little-endian primitives written into a pooled <see cref="ByteBuffer"/>.
/// A ref struct so it can only live on the stack of one encode call and is passed by ref through the structures.
/// </summary>
public ref partial struct UaWriter
{
    private readonly ByteBuffer _buffer;

    public UaWriter(ByteBuffer buffer)
    {
        _buffer = buffer;
    }

    public readonly int Position => _buffer.Length;

    public readonly ByteBuffer Buffer => _buffer;

    public readonly void WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public readonly void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public readonly void WriteSByte(sbyte value) => WriteByte((byte)value);

    public readonly void WriteInt16(short value)
    {
        BinaryPrimitives.WriteInt16LittleEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
    }

    public readonly void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
    }

    public readonly void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public readonly void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public readonly void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public readonly void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public readonly void WriteFloat(float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public readonly void WriteDouble(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public readonly void WriteDateTime(DateTime value) => WriteInt64(UaDateTime.ToWire(value));

    public readonly void WriteStatusCode(StatusCode value) => WriteUInt32(value.Code);

    /// <summary>Guid as Data1 (UInt32), Data2, Data3 (UInt16), Data4 (8 bytes): the layout .NET writes little-endian.</summary>
    public readonly void WriteGuid(Guid value)
    {
        value.TryWriteBytes(_buffer.GetSpan(16));
        _buffer.Advance(16);
    }

    /// <summary>UTF-8 with an Int32 byte length; null is length -1 (Part 6 §5.2.2.4).</summary>
    public readonly void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        var max = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
        var span = _buffer.GetSpan(4 + max);
        var count = System.Text.Encoding.UTF8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, count);
        _buffer.Advance(4 + count);
    }

    public readonly void WriteByteString(ReadOnlySpan<byte> value)
    {
        WriteInt32(value.Length);
        _buffer.Write(value);
    }

    public readonly void WriteByteString(byte[]? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        WriteByteString(value.AsSpan());
    }

    public readonly void WriteXmlElement(UaXmlElement value) => WriteString(value.Xml);

    public readonly void WriteRaw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    /// <summary>Reserves an Int32 to be filled by <see cref="PatchInt32"/> once the following bytes are known.</summary>
    public readonly int ReserveInt32()
    {
        var position = _buffer.Length;
        WriteInt32(0);
        return position;
    }

    public readonly void PatchInt32(int position, int value) =>
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.WrittenSpanMutable[position..], value);

    /// <summary>An array length: -1 for null (Part 6 §5.2.5).</summary>
    public readonly bool WriteArrayLength(Array? array)
    {
        WriteInt32(array is null ? -1 : array.Length);
        return array is not null;
    }

    public void WriteEncodeable<T>(T value)
        where T : IEncodeable => value.Encode(ref this);

    public void WriteEncodeableArray<T>(T[]? values)
        where T : IEncodeable
    {
        if (!WriteArrayLength(values))
        {
            return;
        }

        foreach (var value in values!)
        {
            value.Encode(ref this);
        }
    }

    public readonly void WriteStringArray(string?[]? values)
    {
        if (!WriteArrayLength(values))
        {
            return;
        }

        foreach (var value in values!)
        {
            WriteString(value);
        }
    }

    public readonly void WriteStatusCodeArray(StatusCode[]? values)
    {
        if (!WriteArrayLength(values))
        {
            return;
        }

        foreach (var value in values!)
        {
            WriteUInt32(value.Code);
        }
    }

    public readonly void WriteUInt32Array(uint[]? values)
    {
        if (!WriteArrayLength(values))
        {
            return;
        }

        foreach (var value in values!)
        {
            WriteUInt32(value);
        }
    }
}
