namespace EdgeApp.Deploy.Expressions;

/// <summary>A piece of a resolved value: known text, or a reference to a key of a Kubernetes Secret.</summary>
public abstract record ValuePart;

public sealed record LiteralPart(string Text) : ValuePart;

/// <summary>The value of secret parameter <paramref name="Parameter"/>, stored in Secret <paramref name="SecretName"/> under <paramref name="Key"/>.</summary>
public sealed record SecretPart(string Parameter, string SecretName, string Key) : ValuePart;
