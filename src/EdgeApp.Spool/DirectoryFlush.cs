using System.Runtime.InteropServices;
using System.Text;

namespace EdgeApp.Spool;

/// <summary>
/// fsync of a directory, so a newly created segment file's name survives a power loss along with its data.
/// .NET cannot open a directory as a file, so this calls libc on Unix; on Windows the file system journals
/// directory entries itself and nothing is needed.
/// </summary>
internal static class DirectoryFlush
{
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = Encoding.UTF8.GetBytes(directory + "\0");
        var fd = Open(path, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{directory}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
