using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Greengrass.Model.Versions;

namespace Greengrass.Model.Tests.Versions;

/// <summary>Small-number generators so that equal tuples, shared pre-releases and boundary hits happen often.</summary>
public static class VersionArbitraries
{
    private static readonly string[] FirstIdentifiers = ["alpha", "beta", "rc", "a-b", "x"];
    private static readonly string[] LaterIdentifiers = ["alpha", "beta", "0", "1", "2", "11", "z9"];

    public static Arbitrary<SemanticVersion> Versions() => Arb.From(VersionGen(withBuild: true));

    public static Arbitrary<RangeText> Ranges() => Arb.From(
        from count in Gen.Choose(1, 2)
        from comparators in Gen.ArrayOf(ComparatorGen(), count)
        select new RangeText(string.Join(' ', comparators)));

    internal static Gen<SemanticVersion> VersionGen(bool withBuild) =>
        from major in Gen.Choose(0, 3)
        from minor in Gen.Choose(0, 3)
        from patch in Gen.Choose(0, 3)
        from pre in PreReleaseGen()
        from build in withBuild ? Gen.Elements("", "", "", "+b.1", "+sha.0a") : Gen.Constant("")
        select SemanticVersion.Parse($"{major}.{minor}.{patch}{pre}{build}");

    private static Gen<string> PreReleaseGen() =>
        from hasPre in Gen.Elements(false, false, true)
        from first in Gen.Elements(FirstIdentifiers)
        from rest in Gen.Choose(0, 2).SelectMany(n => Gen.ArrayOf(Gen.Elements(LaterIdentifiers), n))
        select hasPre ? "-" + string.Join('.', new[] { first }.Concat(rest)) : "";

    private static Gen<string> ComparatorGen() =>
        from op in Gen.Elements("", "=", ">", ">=", "<", "<=", "^", "~")
        from version in Gen.OneOf(
            VersionGen(withBuild: false).Select(v => v.ToString()),
            from major in Gen.Choose(0, 3)
            from minor in Gen.Elements("", ".x", ".0", ".1", ".2")
            select $"{major}{minor}")
        select op + version;
}

/// <summary>A generated range text (a wrapper so that FsCheck picks the range generator, not arbitrary strings).</summary>
public sealed record RangeText(string Text)
{
    public override string ToString() => Text;
}

[Properties(Arbitrary = [typeof(VersionArbitraries)], MaxTest = 500)]
public sealed class VersionPropertyTests
{
    [Property]
    public bool CompareTo_AnyPair_IsAntisymmetric(SemanticVersion a, SemanticVersion b) =>
        Math.Sign(a.CompareTo(b)) == -Math.Sign(b.CompareTo(a))
        && (a.CompareTo(b) != 0 || (a.Equals(b) && Core(a) == Core(b)));

    [Property]
    public bool CompareTo_AnyTriple_IsTransitive(SemanticVersion a, SemanticVersion b, SemanticVersion c)
    {
        var sorted = new[] { a, b, c }.Order().ToArray();
        return sorted[0] <= sorted[1] && sorted[1] <= sorted[2] && sorted[0] <= sorted[2];
    }

    [Property]
    public bool CompareTo_AnyPair_IsTotal(SemanticVersion a, SemanticVersion b) =>
        (a < b) ^ (a > b) ^ (a == b) && !((a < b) && (a > b));

    [Property]
    public bool Parse_ToStringOfAnyVersion_RoundTrips(SemanticVersion v)
    {
        var reparsed = SemanticVersion.Parse(v.ToString());
        return reparsed == v && reparsed.ToString() == v.ToString() && reparsed.BuildMetadata == v.BuildMetadata;
    }

    [Property]
    public bool IsSatisfiedBy_Or_HoldsIffEitherSideHolds(RangeText a, RangeText b, SemanticVersion v)
    {
        var either = VersionRange.Parse($"{a} || {b}").IsSatisfiedBy(v);
        return either == (VersionRange.Parse(a.Text).IsSatisfiedBy(v) || VersionRange.Parse(b.Text).IsSatisfiedBy(v));
    }

    [Property]
    public bool IsSatisfiedBy_Caret_AgreesWithExplicitBounds(SemanticVersion x, SemanticVersion v)
    {
        var release = Core(x);
        var next = x.Major > 0 ? $"{x.Major + 1}.0.0" : x.Minor > 0 ? $"0.{x.Minor + 1}.0" : $"0.0.{x.Patch + 1}";
        var explicitRange = VersionRange.Parse($">={x} <{next}");
        return VersionRange.Parse("^" + x).IsSatisfiedBy(v) == explicitRange.IsSatisfiedBy(v)
            && VersionRange.Parse("^" + release).IsSatisfiedBy(v) == VersionRange.Parse($">={release} <{next}").IsSatisfiedBy(v);
    }

    [Property]
    public bool IsSatisfiedBy_Tilde_AgreesWithExplicitBounds(SemanticVersion x, SemanticVersion v)
    {
        var next = $"{x.Major}.{x.Minor + 1}.0";
        return VersionRange.Parse("~" + x).IsSatisfiedBy(v) == VersionRange.Parse($">={x} <{next}").IsSatisfiedBy(v);
    }

    [Property]
    public bool Normalized_ReparsedAnyRange_AdmitsTheSameVersions(RangeText a, RangeText b, SemanticVersion v)
    {
        var range = VersionRange.Parse($"{a} || {b}");
        return VersionRange.Parse(range.Normalized).IsSatisfiedBy(v) == range.IsSatisfiedBy(v);
    }

    [Property]
    public bool IsSatisfiedBy_Exact_HoldsOnlyForEqualPrecedence(SemanticVersion x, SemanticVersion v) =>
        VersionRange.Parse(x.ToString()).IsSatisfiedBy(v) == (x == v);

    private static string Core(SemanticVersion v) => $"{v.Major}.{v.Minor}.{v.Patch}";
}
