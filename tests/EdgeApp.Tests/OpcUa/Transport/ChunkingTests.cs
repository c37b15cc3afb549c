using System.Buffers;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.SecureChannel;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.Tests.OpcUa.Transport;

/// <summary>ChunkWriter splits by the negotiated chunk size; ChunkAssembler joins, checks sequence numbers and limits.</summary>
public sealed class ChunkingTests
{
    private static readonly ChunkHeaders Headers = new(MessageTypes.Message, 7, 1, null, null, null, 0);

    private static NegotiatedLimits Limits(uint chunk = 8192, uint maxMessage = 0, uint maxChunks = 0) => new(chunk, chunk, maxMessage, maxChunks, maxMessage, maxChunks);

    private static List<Frame> Frames(byte[] wire)
    {
        var frames = new List<Frame>();
        var sequence = new ReadOnlySequence<byte>(wire);
        while (FrameParser.TryParse(ref sequence, 1 << 20, out var frame))
        {
            frames.Add(frame);
        }

        return frames;
    }

    private static byte[] Write(ChunkWriter writer, byte[] body, NegotiatedLimits limits, uint requestId = 5)
    {
        using var output = new ByteBuffer();
        writer.Write(output, Headers, requestId, body, NoneSecurityPolicy.Instance, limits, StatusCodes.BadRequestTooLarge);
        return output.WrittenSpan.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(8192 - 24)]
    [InlineData(8192 - 23)]
    [InlineData(100_000)]
    public void LargeMessage_IsChunked_AndReassembled(int size)
    {
        var body = Enumerable.Range(0, size).Select(i => (byte)i).ToArray();
        var frames = Frames(Write(new ChunkWriter(), body, Limits()));
        Assert.Equal(Math.Max(1, (size + 8167) / 8168), frames.Count);
        Assert.All(frames, f => Assert.True(f.Length <= 8192));
        Assert.All(frames[..^1], f => Assert.Equal(MessageTypes.Intermediate, f.ChunkType));
        Assert.Equal(MessageTypes.Final, frames[^1].ChunkType);

        using var assembler = new ChunkAssembler(0, 0, StatusCodes.BadRequestTooLarge);
        ReceivedMessage? message = null;
        foreach (var frame in frames)
        {
            Assert.Null(message);
            message = assembler.Add(frame, ChunkHeaders.Read(frame, DecodingContext.Default), NoneSecurityPolicy.Instance);
        }

        using (message)
        {
            Assert.Equal(5u, message!.RequestId);
            Assert.Equal(body, message.Body.ToArray());
        }
    }

    [Fact]
    public void Writer_RefusesMessagesOverThePeersLimits()
    {
        var ex = Assert.Throws<OpcUaException>(() => Write(new ChunkWriter(), new byte[20_000], Limits(maxChunks: 2)));
        Assert.Equal(StatusCodes.BadRequestTooLarge, ex.StatusCode);
        ex = Assert.Throws<OpcUaException>(() => Write(new ChunkWriter(), new byte[20_000], Limits(maxMessage: 10_000)));
        Assert.Equal(StatusCodes.BadRequestTooLarge, ex.StatusCode);
    }

    [Fact]
    public void Assembler_RefusesTooManyChunks()
    {
        var frames = Frames(Write(new ChunkWriter(), new byte[40_000], Limits()));
        using var assembler = new ChunkAssembler(0, 3, StatusCodes.BadRequestTooLarge);
        var ex = Assert.Throws<OpcUaException>(() =>
        {
            foreach (var frame in frames)
            {
                assembler.Add(frame, ChunkHeaders.Read(frame, DecodingContext.Default), NoneSecurityPolicy.Instance);
            }
        });
        Assert.Equal(StatusCodes.BadTcpMessageTooLarge, ex.StatusCode);
    }

    [Fact]
    public void Assembler_RefusesOversizedMessage()
    {
        var frames = Frames(Write(new ChunkWriter(), new byte[40_000], Limits()));
        using var assembler = new ChunkAssembler(20_000, 0, StatusCodes.BadRequestTooLarge);
        var ex = Assert.Throws<OpcUaException>(() =>
        {
            foreach (var frame in frames)
            {
                assembler.Add(frame, ChunkHeaders.Read(frame, DecodingContext.Default), NoneSecurityPolicy.Instance);
            }
        });
        Assert.Equal(StatusCodes.BadRequestTooLarge, ex.StatusCode);
    }

    [Fact]
    public void Assembler_RejectsSequenceGaps()
    {
        var writer = new ChunkWriter();
        var first = Frames(Write(writer, [1], Limits()));
        Write(writer, [2], Limits()); // skipped: never delivered
        var third = Frames(Write(writer, [3], Limits()));
        using var assembler = new ChunkAssembler(0, 0, StatusCodes.BadRequestTooLarge);
        assembler.Add(first[0], ChunkHeaders.Read(first[0], DecodingContext.Default), NoneSecurityPolicy.Instance)!.Dispose();
        var ex = Assert.Throws<OpcUaException>(() => assembler.Add(third[0], ChunkHeaders.Read(third[0], DecodingContext.Default), NoneSecurityPolicy.Instance));
        Assert.Equal(StatusCodes.BadSequenceNumberInvalid, ex.StatusCode);
    }

    [Fact]
    public void SequenceNumbers_WrapBelow1024()
    {
        Assert.Equal(1u, SequenceHeader.Next(SequenceHeader.WrapAfter));
        Assert.True(SequenceHeader.IsValidSuccessor(uint.MaxValue - 100, 3));
        Assert.False(SequenceHeader.IsValidSuccessor(10, 3));
    }

    [Fact]
    public void AbortChunk_DropsThePartialMessage_AndReportsTheStatus()
    {
        var frames = Frames(Write(new ChunkWriter(), new byte[20_000], Limits()));
        using var output = new ByteBuffer();
        new ChunkWriter(lastSequenceNumber: 1).WriteAbort(output, Headers, 5, StatusCodes.BadRequestInterrupted, "stop", NoneSecurityPolicy.Instance);
        var abort = Frames(output.WrittenSpan.ToArray())[0];

        using var assembler = new ChunkAssembler(0, 0, StatusCodes.BadRequestTooLarge);
        Assert.Null(assembler.Add(frames[0], ChunkHeaders.Read(frames[0], DecodingContext.Default), NoneSecurityPolicy.Instance));
        using var aborted = assembler.Add(abort, ChunkHeaders.Read(abort, DecodingContext.Default), NoneSecurityPolicy.Instance);
        Assert.Equal(StatusCodes.BadRequestInterrupted, aborted!.AbortStatus);
        Assert.Equal("stop", aborted.AbortReason);
        foreach (var unused in frames.Skip(1))
        {
            unused.Dispose();
        }
    }
}
