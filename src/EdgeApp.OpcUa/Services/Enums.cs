namespace EdgeApp.OpcUa.Services;

/// <summary>Node classes (Part 3 §8.29); a bit mask in Browse's NodeClassMask.</summary>
[Flags]
public enum NodeClass
{
    Unspecified = 0,
    Object = 1,
    Variable = 2,
    Method = 4,
    ObjectType = 8,
    VariableType = 16,
    ReferenceType = 32,
    DataType = 64,
    View = 128,
}

/// <summary>Attribute ids (Part 6 Annex A.1).</summary>
public enum AttributeId : uint
{
    NodeId = 1,
    NodeClass = 2,
    BrowseName = 3,
    DisplayName = 4,
    Description = 5,
    WriteMask = 6,
    UserWriteMask = 7,
    IsAbstract = 8,
    Symmetric = 9,
    InverseName = 10,
    ContainsNoLoops = 11,
    EventNotifier = 12,
    Value = 13,
    DataType = 14,
    ValueRank = 15,
    ArrayDimensions = 16,
    AccessLevel = 17,
    UserAccessLevel = 18,
    MinimumSamplingInterval = 19,
    Historizing = 20,
    Executable = 21,
    UserExecutable = 22,
    DataTypeDefinition = 23,
    RolePermissions = 24,
    UserRolePermissions = 25,
    AccessRestrictions = 26,
    AccessLevelEx = 27,
}

/// <summary>TimestampsToReturn, one of the common parameter types of Part 4 §7.</summary>
public enum TimestampsToReturn
{
    Source = 0,
    Server = 1,
    Both = 2,
    Neither = 3,
    Invalid = 4,
}

/// <summary>BrowseDirection, one of the common parameter types of Part 4 §7.</summary>
public enum BrowseDirection
{
    Forward = 0,
    Inverse = 1,
    Both = 2,
    Invalid = 3,
}

/// <summary>Which ReferenceDescription fields Browse fills (Part 4 §5.8.2.2).</summary>
[Flags]
public enum BrowseResultMask : uint
{
    None = 0,
    ReferenceTypeId = 1,
    IsForward = 2,
    NodeClass = 4,
    BrowseName = 8,
    DisplayName = 16,
    TypeDefinition = 32,
    All = 63,
}

/// <summary>MessageSecurityMode, one of the common parameter types of Part 4 §7.</summary>
public enum MessageSecurityMode
{
    Invalid = 0,
    None = 1,
    Sign = 2,
    SignAndEncrypt = 3,
}

/// <summary>UserTokenType, one of the common parameter types of Part 4 §7.</summary>
public enum UserTokenType
{
    Anonymous = 0,
    UserName = 1,
    Certificate = 2,
    IssuedToken = 3,
}

/// <summary>ApplicationType, one of the common parameter types of Part 4 §7.</summary>
public enum ApplicationType
{
    Server = 0,
    Client = 1,
    ClientAndServer = 2,
    DiscoveryServer = 3,
}

/// <summary>Part 4 §5.5.2.2.</summary>
public enum SecurityTokenRequestType
{
    Issue = 0,
    Renew = 1,
}

/// <summary>Part 5 §12.6.</summary>
public enum ServerState
{
    Running = 0,
    Failed = 1,
    NoConfiguration = 2,
    Suspended = 3,
    Shutdown = 4,
    Test = 5,
    CommunicationFault = 6,
    Unknown = 7,
}

/// <summary>AccessLevel bits (Part 3 §8.57).</summary>
[Flags]
public enum AccessLevel : byte
{
    None = 0,
    CurrentRead = 1,
    CurrentWrite = 2,
    HistoryRead = 4,
    HistoryWrite = 8,
    SemanticChange = 16,
    StatusWrite = 32,
    TimestampWrite = 64,
}
