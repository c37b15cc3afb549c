namespace EdgeApp.OpcPlc.Nodes;

/// <summary>OPC PLC's namespace URIs. Clients should address nodes by URI (<c>nsu=</c>); the indexes match OPC PLC's too.</summary>
public static class PlcNamespaces
{
    /// <summary>The simulated nodes: <c>nsu=http://microsoft.com/Opc/OpcPlc/;s=StepUp</c> (index 3, as in OPC PLC).</summary>
    public const string OpcPlc = "http://microsoft.com/Opc/OpcPlc/";

    /// <summary>The boiler's types and instance (index 4).</summary>
    public const string Boiler = "http://microsoft.com/Opc/OpcPlc/Boiler";

    /// <summary>Boiler instance namespace (index 5); here it holds the boiler's scalar convenience variables.</summary>
    public const string BoilerInstance = "http://microsoft.com/Opc/OpcPlc/BoilerInstance";

    /// <summary>
    /// Index 2 of OPC PLC (a .NET reference-stack server) is its diagnostics namespace. Registering the same URI keeps
    /// the PLC's namespaces at the indexes clients have hard-coded (<c>ns=3;s=StepUp</c>); no nodes live in it.
    /// </summary>
    public const string Diagnostics = "http://opcfoundation.org/UA/Diagnostics";
}
