using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace SyncContext.AspNetCore.Analyzers.Blocking;

/// <summary>
/// The known blocking members of one compilation, resolved to symbols once per compilation. A call matches when its
/// method (or an override of it up the chain) is one of them; ADO.NET providers that hide a member with <c>new</c>
/// (<c>SqlCommand.ExecuteReader</c>) match through their base type. Members of a family that is blocking only for some
/// receivers (a <see cref="System.IO.TextReader"/> is blocking when it is a <c>StreamReader</c>, a stream is not when
/// it is a <c>MemoryStream</c>) carry that condition.
/// </summary>
internal sealed class BlockingApis
{
    private readonly Dictionary<ISymbol, Family> _members = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<INamedTypeSymbol, Family> _hidingFamilies = new(SymbolEqualityComparer.Default);

    private BlockingApis()
    {
    }

    public bool IsEmpty => _members.Count == 0;

    public static BlockingApis Create(Compilation compilation)
    {
        var apis = new BlockingApis();
        var streamReader = compilation.GetTypeByMetadataName("System.IO.StreamReader");
        var streamWriter = compilation.GetTypeByMetadataName("System.IO.StreamWriter");
        var memoryStream = compilation.GetTypeByMetadataName("System.IO.MemoryStream");

        apis.Add(compilation, BlockingKind.Sleep, "System.Threading.Thread", "Sleep");

        apis.Add(compilation, BlockingKind.SyncOverAsync, "System.Threading.Tasks.Task", "Wait", "WaitAll", "WaitAny");
        apis.Add(compilation, BlockingKind.SyncOverAsync, "System.Threading.Tasks.Task`1", "Result");
        apis.Add(compilation, BlockingKind.SyncOverAsync, "System.Threading.Tasks.ValueTask`1", "Result");
        foreach (var awaiter in new[]
        {
            "System.Runtime.CompilerServices.TaskAwaiter",
            "System.Runtime.CompilerServices.TaskAwaiter`1",
            "System.Runtime.CompilerServices.ValueTaskAwaiter",
            "System.Runtime.CompilerServices.ValueTaskAwaiter`1",
            "System.Runtime.CompilerServices.ConfiguredTaskAwaitable+ConfiguredTaskAwaiter",
            "System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1+ConfiguredTaskAwaiter",
            "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable+ConfiguredValueTaskAwaiter",
            "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1+ConfiguredValueTaskAwaiter",
        })
        {
            apis.Add(compilation, BlockingKind.SyncOverAsync, awaiter, "GetResult");
        }

        apis.Add(compilation, BlockingKind.SyncIo, "System.IO.File",
            "ReadAllText", "ReadAllLines", "ReadAllBytes", "ReadLines", "WriteAllText", "WriteAllLines", "WriteAllBytes", "AppendAllText", "AppendAllLines");
        apis.Add(compilation, BlockingKind.SyncIo, "System.IO.Stream",
            ["Read", "ReadByte", "ReadExactly", "ReadAtLeast", "Write", "WriteByte", "Flush", "CopyTo"], exceptReceiver: memoryStream);
        apis.Add(compilation, BlockingKind.SyncIo, "System.IO.TextReader", ["Read", "ReadBlock", "ReadLine", "ReadToEnd"], onlyReceiver: streamReader);
        apis.Add(compilation, BlockingKind.SyncIo, "System.IO.TextWriter", ["Write", "WriteLine", "Flush"], onlyReceiver: streamWriter);
        apis.Add(compilation, BlockingKind.SyncIo, "System.Net.Sockets.Socket",
            "Accept", "Connect", "Receive", "ReceiveFrom", "ReceiveMessageFrom", "Send", "SendFile", "SendTo");
        apis.Add(compilation, BlockingKind.SyncIo, "System.Net.Http.HttpClient", "Send");
        apis.Add(compilation, BlockingKind.SyncIo, "System.Net.Dns", "GetHostEntry", "GetHostAddresses");

        apis.Add(compilation, BlockingKind.SyncDatabase, "System.Data.Common.DbConnection", "Open");
        apis.Add(compilation, BlockingKind.SyncDatabase, "System.Data.Common.DbCommand", "ExecuteNonQuery", "ExecuteReader", "ExecuteScalar");
        apis.Add(compilation, BlockingKind.SyncDatabase, "System.Data.Common.DbDataReader", "Read", "NextResult");
        apis.Add(compilation, BlockingKind.SyncDatabase, "System.Data.Common.DbTransaction", "Commit", "Rollback");
        apis.Add(compilation, BlockingKind.SyncDatabase, "System.Data.IDbConnection", "Open");
        apis.Add(compilation, BlockingKind.SyncDatabase, "System.Data.IDbCommand", "ExecuteNonQuery", "ExecuteReader", "ExecuteScalar");
        apis.Add(compilation, BlockingKind.SyncDatabase, "System.Data.IDataReader", "Read", "NextResult");

        apis.Add(compilation, BlockingKind.SyncWait, "System.Threading.Monitor", "Enter", "Wait");
        apis.Add(compilation, BlockingKind.SyncWait, "System.Threading.SemaphoreSlim", "Wait");
        apis.Add(compilation, BlockingKind.SyncWait, "System.Threading.ManualResetEventSlim", "Wait");
        apis.Add(compilation, BlockingKind.SyncWait, "System.Threading.CountdownEvent", "Wait");
        apis.Add(compilation, BlockingKind.SyncWait, "System.Threading.WaitHandle", "WaitOne", "WaitAll", "WaitAny", "SignalAndWait");
        apis.Add(compilation, BlockingKind.SyncWait, "System.Threading.Thread", "Join");
        return apis;
    }

    /// <summary>The kind of blocking call <paramref name="member"/> is on <paramref name="receiverType"/>, if it is one.</summary>
    public BlockingKind? Find(ISymbol member, ITypeSymbol? receiverType)
    {
        for (var current = member.OriginalDefinition; current is not null; current = Overridden(current))
        {
            if (_members.TryGetValue(current, out var family))
            {
                return family.Applies(receiverType) ? family.Kind : null;
            }
        }

        // A provider's member that hides the base one (public new SqlDataReader ExecuteReader()).
        if (member is IMethodSymbol { IsOverride: false, IsStatic: false })
        {
            for (var type = member.ContainingType?.BaseType; type is not null; type = type.BaseType)
            {
                if (_hidingFamilies.TryGetValue(type.OriginalDefinition, out var family) && family.Names.Contains(member.Name))
                {
                    return family.Applies(receiverType) ? family.Kind : null;
                }
            }
        }

        return null;
    }

    private static ISymbol? Overridden(ISymbol symbol) => symbol switch
    {
        IMethodSymbol method => method.OverriddenMethod?.OriginalDefinition,
        IPropertySymbol property => property.OverriddenProperty?.OriginalDefinition,
        _ => null,
    };

    private void Add(Compilation compilation, BlockingKind kind, string typeName, params string[] names)
        => Add(compilation, kind, typeName, names, onlyReceiver: null, exceptReceiver: null);

    private void Add(Compilation compilation, BlockingKind kind, string typeName, string[] names, INamedTypeSymbol? onlyReceiver = null, INamedTypeSymbol? exceptReceiver = null)
    {
        if (compilation.GetTypeByMetadataName(typeName) is not { } type)
        {
            return;
        }

        var family = new Family(kind, ImmutableHashSet.Create(names), onlyReceiver, exceptReceiver);
        foreach (var name in names)
        {
            foreach (var member in type.GetMembers(name))
            {
                if (member is IMethodSymbol or IPropertySymbol)
                {
                    _members[member.OriginalDefinition] = family;
                }
            }
        }

        if (type.TypeKind == TypeKind.Class && !type.IsStatic)
        {
            _hidingFamilies[type] = family;
        }
    }

    private sealed class Family(BlockingKind kind, ImmutableHashSet<string> names, INamedTypeSymbol? onlyReceiver, INamedTypeSymbol? exceptReceiver)
    {
        public BlockingKind Kind { get; } = kind;

        public ImmutableHashSet<string> Names { get; } = names;

        public bool Applies(ITypeSymbol? receiverType)
        {
            if (receiverType is null)
            {
                return onlyReceiver is null;
            }

            return (onlyReceiver is null || DerivesFrom(receiverType, onlyReceiver))
                && (exceptReceiver is null || !DerivesFrom(receiverType, exceptReceiver));
        }

        private static bool DerivesFrom(ITypeSymbol type, INamedTypeSymbol baseType)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
