using System.Reflection;
using System.Reflection.Emit;

namespace Ladybug.Tests.Unit.Engine;

/// <summary>
/// Which top-level namespaces of an assembly use which, read from the compiled types: base types and interfaces,
/// fields, properties, method and constructor signatures, and every type, method and field token in the method bodies
/// (compiler-made types — lambdas' closures, async state machines — are nested in the type that wrote them, so their
/// references count for its namespace). A <c>using</c> that nothing uses is not a dependency; a fully qualified name is.
/// </summary>
internal sealed class NamespaceGraph
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic
        | BindingFlags.Instance | BindingFlags.Static;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private readonly string _root;

    private NamespaceGraph(string root) => _root = root;

    /// <summary>Edges from a folder to the folders it uses, with one type that shows each edge.</summary>
    public Dictionary<string, Dictionary<string, string>> Edges { get; } = new(StringComparer.Ordinal);

    /// <param name="root">The assembly's root namespace; "Ladybug.Engine.Jobs.X" is folder "Jobs", "Ladybug.Engine" itself "(root)".</param>
    public static NamespaceGraph Of(Assembly assembly, string root)
    {
        var graph = new NamespaceGraph(root);
        foreach (var type in assembly.GetTypes())
        {
            if (graph.Folder(type) is not { } from) continue;
            foreach (var used in Uses(type))
                if (graph.Folder(used) is { } to && to != from)
                    graph.Add(from, to, type);
        }
        return graph;
    }

    /// <summary>The groups of folders that reach each other (strongly connected, more than one folder), each sorted.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var folders = Edges.Keys.Concat(Edges.Values.SelectMany(e => e.Keys)).Distinct().ToList();
        var reach = folders.ToDictionary(f => f, Reachable);
        return folders
            .Select(f => folders.Where(g => g == f || (reach[f].Contains(g) && reach[g].Contains(f))).Order(StringComparer.Ordinal).ToList())
            .Where(c => c.Count > 1)
            .DistinctBy(c => string.Join(",", c))
            .Select(c => (IReadOnlyList<string>)c)
            .ToList();
    }

    /// <summary>One line per edge inside <paramref name="folders"/>: "A -> B (through T)".</summary>
    public IEnumerable<string> Describe(IReadOnlyCollection<string> folders) =>
        from folder in folders.Order(StringComparer.Ordinal)
        from edge in Edges.GetValueOrDefault(folder, []).OrderBy(e => e.Key, StringComparer.Ordinal)
        where folders.Contains(edge.Key)
        select $"{folder} -> {edge.Key} (through {edge.Value})";

    private HashSet<string> Reachable(string start)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var folder))
            foreach (var next in Edges.GetValueOrDefault(folder, []).Keys)
                if (seen.Add(next)) queue.Enqueue(next);
        return seen;
    }

    private void Add(string from, string to, Type through)
    {
        if (!Edges.TryGetValue(from, out var edges)) Edges[from] = edges = new(StringComparer.Ordinal);
        edges.TryAdd(to, through.FullName ?? through.Name);
    }

    private string? Folder(Type type)
    {
        var ns = type.Namespace;
        if (ns is null || !(ns == _root || ns.StartsWith(_root + ".", StringComparison.Ordinal))) return null;
        return ns == _root ? "(root)" : ns[(_root.Length + 1)..].Split('.')[0];
    }

    private static IEnumerable<Type> Uses(Type type)
    {
        var used = new List<Type>();
        if (type.BaseType is { } baseType) used.Add(baseType);
        used.AddRange(type.GetInterfaces());
        used.AddRange(type.GetFields(Declared).Select(f => f.FieldType));
        used.AddRange(type.GetProperties(Declared).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info) used.Add(info.ReturnType);
            used.AddRange(method.GetParameters().Select(p => p.ParameterType));
            used.AddRange(BodyUses(method));
        }
        return used.SelectMany(Expand);
    }

    /// <summary>A type and what it is made of: element types and generic arguments.</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.HasElementType && type.GetElementType() is { } element)
        {
            foreach (var inner in Expand(element)) yield return inner;
            yield break;
        }
        if (type.IsGenericParameter) yield break;
        yield return type;
        if (type.IsGenericType)
            foreach (var argument in type.GetGenericArguments())
                foreach (var inner in Expand(argument))
                    yield return inner;
    }

    private static IEnumerable<Type> BodyUses(MethodBase method)
    {
        foreach (var member in MembersUsedBy(method))
        {
            if (member is Type resolved) yield return resolved;
            else if (member.DeclaringType is { } owner)
            {
                yield return owner;
                if (member is MethodInfo called)
                {
                    yield return called.ReturnType;
                    foreach (var argument in called.IsGenericMethod ? called.GetGenericArguments() : []) yield return argument;
                }
                else if (member is FieldInfo field) yield return field.FieldType;
            }
        }
    }

    /// <summary>Every type, method and field a method's body names (its IL's type, method, field and token operands).</summary>
    public static IEnumerable<MemberInfo> MembersUsedBy(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception ex) when (ex is InvalidOperationException or BadImageFormatException)
        {
            yield break;
        }
        if (il is null) yield break;
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE) value = (short)(0xFE00 | il[position++]);
            var opCode = OpCodesByValue[value];
            var operandSize = opCode.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
                _ => 4,
            };
            if (opCode.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok
                && Resolve(method.Module, BitConverter.ToInt32(il, position), typeArguments, methodArguments) is { } member)
                yield return member;
            position += operandSize;
        }
    }

    private static MemberInfo? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (Exception ex) when (ex is ArgumentException or BadImageFormatException or MissingMemberException or TypeLoadException)
        {
            return null;
        }
    }
}
