using System.Reflection;
using System.Reflection.Emit;

namespace Dialoog.Durable.Execution;

/// <summary>
/// Reads the IL of orchestrator code (its async state machines, lambdas and helpers in the same assembly) and
/// reports calls that break replay: the clock, new GUIDs, randomness, sleeping, threads, and I/O. The same mistakes
/// the Durable Task analyzers flag (DURABLE0001–0005), made loud at start-up instead of at the first replay.
/// </summary>
public static class OrchestratorCodeCheck
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private static readonly (string Type, string? Member, string Advice)[] Forbidden =
    [
        ("System.DateTime", "get_Now", "use context.CurrentUtcDateTime"),
        ("System.DateTime", "get_UtcNow", "use context.CurrentUtcDateTime"),
        ("System.DateTime", "get_Today", "use context.CurrentUtcDateTime"),
        ("System.DateTimeOffset", "get_Now", "use context.CurrentUtcDateTime"),
        ("System.DateTimeOffset", "get_UtcNow", "use context.CurrentUtcDateTime"),
        ("System.TimeProvider", "GetUtcNow", "use context.CurrentUtcDateTime"),
        ("System.TimeProvider", "GetLocalNow", "use context.CurrentUtcDateTime"),
        ("System.Diagnostics.Stopwatch", null, "use context.CurrentUtcDateTime"),
        ("System.Guid", "NewGuid", "use context.NewGuid()"),
        ("System.Random", null, "pass random values in as input or get them from an activity"),
        ("System.Threading.Tasks.Task", "Delay", "use context.CreateTimer"),
        ("System.Threading.Tasks.Task", "Run", "call an activity"),
        ("System.Threading.Tasks.TaskFactory", "StartNew", "call an activity"),
        ("System.Threading.Thread", null, "use context.CreateTimer or an activity"),
        ("System.Threading.Timer", null, "use context.CreateTimer"),
        ("System.Environment", "GetEnvironmentVariable", "pass configuration in as input or read it in an activity"),
        ("System.IO.", null, "do I/O in an activity"),
        ("System.Net.", null, "do I/O in an activity"),
        ("Azure.", null, "do I/O in an activity"),
    ];

    /// <summary>One line per forbidden call, naming the orchestrator, the method and what to use instead.</summary>
    public static IReadOnlyList<string> FindViolations(Type orchestratorType)
    {
        ArgumentNullException.ThrowIfNull(orchestratorType);
        var violations = new List<string>();
        var visited = new HashSet<MethodBase>();
        var queue = new Queue<MethodBase>(MethodsOf(orchestratorType));
        while (queue.TryDequeue(out var method))
        {
            if (!visited.Add(method))
            {
                continue;
            }

            foreach (var called in CalledMethods(method))
            {
                var typeName = called.DeclaringType?.FullName ?? "";
                var rule = Forbidden.FirstOrDefault(f =>
                    (f.Type.EndsWith('.') ? typeName.StartsWith(f.Type, StringComparison.Ordinal) : typeName == f.Type)
                    && (f.Member is null || f.Member == called.Name));
                if (rule.Type is not null)
                {
                    violations.Add($"{orchestratorType.Name}: {Describe(method)} calls {typeName}.{called.Name}; {rule.Advice}.");
                }
                else if (called.DeclaringType?.Assembly == orchestratorType.Assembly && called.DeclaringType.Assembly != typeof(OrchestratorCodeCheck).Assembly)
                {
                    // Helpers in the app's own code run inside the orchestrator too: follow them.
                    foreach (var inner in called.DeclaringType.IsNested && called.DeclaringType.Name.Contains('<', StringComparison.Ordinal)
                        ? MethodsOf(called.DeclaringType)
                        : [called])
                    {
                        queue.Enqueue(inner);
                    }
                }
            }
        }

        return [.. violations.Distinct()];
    }

    private static string Describe(MethodBase method)
    {
        var type = method.DeclaringType;
        while (type is { IsNested: true } && type.Name.Contains('<', StringComparison.Ordinal))
        {
            type = type.DeclaringType;
        }

        var name = method.DeclaringType?.Name is { } n && n.StartsWith('<') ? n[1..n.IndexOf('>', StringComparison.Ordinal)] : method.Name;
        return $"{type?.Name}.{name}";
    }

    private static IEnumerable<MethodBase> MethodsOf(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            yield return method;
        }

        foreach (var nested in type.GetNestedTypes(BindingFlags.NonPublic | BindingFlags.Public))
        {
            foreach (var method in MethodsOf(nested))
            {
                yield return method;
            }
        }
    }

    private static IEnumerable<MethodBase> CalledMethods(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (InvalidOperationException)
        {
            il = null;
        }

        if (il is null)
        {
            yield break;
        }

        var typeArgs = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE && position < il.Length)
            {
                value = (short)(0xFE00 | il[position++]);
            }

            if (!OpCodesByValue.TryGetValue(value, out var opCode))
            {
                yield break; // unknown byte: stop rather than misread the rest
            }

            var operandSize = OperandSize(opCode.OperandType, il, position);
            if (opCode.OperandType == OperandType.InlineMethod)
            {
                MethodBase? called = null;
                try
                {
                    called = method.Module.ResolveMethod(BitConverter.ToInt32(il, position), typeArgs, methodArgs);
                }
                catch (ArgumentException)
                {
                }

                if (called is not null)
                {
                    yield return called;
                }
            }

            position += operandSize;
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int position) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (BitConverter.ToInt32(il, position) * 4),
        _ => 4,
    };
}
