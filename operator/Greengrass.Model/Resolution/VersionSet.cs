using System.Numerics;

namespace Greengrass.Model.Resolution;

/// <summary>A set of version indices (0 = newest) as a bit set, so that combining requirements is a few ANDs.</summary>
internal readonly struct VersionSet
{
    private readonly ulong[] _bits;

    private VersionSet(ulong[] bits) => _bits = bits;

    public static VersionSet Empty(int count) => new(new ulong[(count + 63) / 64]);

    public static VersionSet Full(int count)
    {
        var set = Empty(count);
        for (var i = 0; i < count; i++)
        {
            set.Add(i);
        }

        return set;
    }

    public bool IsEmpty
    {
        get
        {
            foreach (var word in _bits)
            {
                if (word != 0)
                {
                    return false;
                }
            }

            return true;
        }
    }

    public void Add(int index) => _bits[index >> 6] |= 1UL << (index & 63);

    public bool Contains(int index) => (_bits[index >> 6] & (1UL << (index & 63))) != 0;

    /// <summary>Keeps only the indices also in <paramref name="other"/>; only for sets this code owns, never memoised ones.</summary>
    public void IntersectWith(VersionSet other)
    {
        for (var i = 0; i < _bits.Length; i++)
        {
            _bits[i] &= other._bits[i];
        }
    }

    public VersionSet Intersect(VersionSet other)
    {
        var result = new ulong[_bits.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = _bits[i] & other._bits[i];
        }

        return new VersionSet(result);
    }

    /// <summary>Indices in ascending order, that is, newest version first.</summary>
    public IEnumerable<int> Indices()
    {
        for (var w = 0; w < _bits.Length; w++)
        {
            var word = _bits[w];
            while (word != 0)
            {
                var bit = BitOperations.TrailingZeroCount(word);
                yield return (w << 6) + bit;
                word &= word - 1;
            }
        }
    }
}
