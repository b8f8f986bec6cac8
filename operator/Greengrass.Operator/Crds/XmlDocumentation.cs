using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Greengrass.Operator.Crds;

/// <summary>The summaries of an assembly's XML documentation file, as plain one-line text for schema descriptions.</summary>
internal sealed partial class XmlDocumentation
{
    private readonly Dictionary<string, string> _summaries;

    private XmlDocumentation(Dictionary<string, string> summaries) => _summaries = summaries;

    /// <summary>Reads the documentation file the compiler wrote next to the assembly.</summary>
    public static XmlDocumentation Load(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path))
        {
            // Without it every description would silently vanish and crds/ would differ from one build to the next.
            throw new InvalidOperationException(
                $"XML documentation of {assembly.GetName().Name} not found at {path}: build with GenerateDocumentationFile=true");
        }

        return Parse(XDocument.Load(path));
    }

    public static XmlDocumentation Parse(XDocument document)
    {
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in document.Descendants("member"))
        {
            var name = (string?)member.Attribute("name");
            var summary = member.Element("summary");
            if (name is not null && summary is not null)
            {
                summaries[name] = Render(summary);
            }
        }

        return new XmlDocumentation(summaries);
    }

    public string? ForType(Type type) => Get("T:" + DocumentationName(type));

    public string? ForProperty(PropertyInfo property) => Get($"P:{DocumentationName(property.DeclaringType!)}.{property.Name}");

    // Documentation ids write nested types with a dot where reflection writes a plus.
    private static string DocumentationName(Type type) => type.FullName!.Replace('+', '.');

    private string? Get(string key) => _summaries.TryGetValue(key, out var text) && text.Length > 0 ? text : null;

    private static string Render(XElement summary)
    {
        var text = new StringBuilder();
        Append(text, summary);
        return Whitespace().Replace(text.ToString(), " ").Trim();
    }

    private static void Append(StringBuilder text, XElement element)
    {
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText literal:
                    text.Append(literal.Value);
                    break;
                case XElement { Name.LocalName: "see" or "seealso" } reference:
                    text.Append(ReferenceText(reference));
                    break;
                case XElement { Name.LocalName: "paramref" or "typeparamref" } parameter:
                    text.Append((string?)parameter.Attribute("name"));
                    break;
                case XElement { Name.LocalName: "para" or "br" } block:
                    text.Append(' ');
                    Append(text, block);
                    text.Append(' ');
                    break;
                case XElement inline:
                    Append(text, inline);
                    break;
            }
        }
    }

    // <see cref="T:Ns.Type.Member"/> reads as "Member": the schema reader knows no C# names.
    private static string ReferenceText(XElement reference)
    {
        if (reference.Nodes().Any())
        {
            return reference.Value;
        }

        var word = (string?)reference.Attribute("langword");
        if (word is not null)
        {
            return word;
        }

        var cref = (string?)reference.Attribute("cref") ?? "";
        var bare = cref.Contains(':', StringComparison.Ordinal) ? cref[(cref.IndexOf(':', StringComparison.Ordinal) + 1)..] : cref;
        return bare[(bare.LastIndexOf('.') + 1)..];
    }

    [GeneratedRegex("\\s+")]
    private static partial Regex Whitespace();
}
