using System.Text;

namespace EdgeApp.Deploy.Kubernetes;

/// <summary>Turns manifest names into DNS-1123 labels that Kubernetes accepts as object names.</summary>
public static class KubernetesName
{
    public static string Of(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }

        var label = builder.ToString().Trim('-');
        if (label.Length > 63)
        {
            label = label[..63].TrimEnd('-');
        }

        return label.Length == 0 ? throw new ArgumentException($"'{name}' has no letters or digits", nameof(name)) : label;
    }

    /// <summary><c>ConnectionStrings__redis</c> -> <c>EDGEAPP_SECRET_REDIS_PASSWORD</c>-style environment names.</summary>
    public static string EnvironmentName(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.ToUpperInvariant())
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        return builder.ToString();
    }
}
