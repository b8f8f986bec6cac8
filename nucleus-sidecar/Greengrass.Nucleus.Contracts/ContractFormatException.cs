namespace Greengrass.Nucleus.Contracts;

/// <summary>A plan or report document that cannot be read: bad JSON, an unknown schema version, or invalid fields.</summary>
public sealed class ContractFormatException : Exception
{
    /// <summary>Creates the exception from the list of problems, each naming the field it is about.</summary>
    /// <param name="document">Which document was being read, for example <c>DevicePlan</c>.</param>
    /// <param name="errors">One entry per problem, in the form <c>field.path: what is wrong</c>.</param>
    /// <param name="inner">The parser exception, when there was one.</param>
    public ContractFormatException(string document, IReadOnlyList<string> errors, Exception? inner = null)
        : base($"{document} is not valid: {string.Join("; ", errors)}", inner)
    {
        Errors = errors;
    }

    /// <summary>One entry per problem, in the form <c>field.path: what is wrong</c>.</summary>
    public IReadOnlyList<string> Errors { get; }
}
