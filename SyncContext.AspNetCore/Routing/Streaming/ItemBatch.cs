namespace SyncContext.AspNetCore.Routing.Streaming;

/// <summary>
/// The items one executor hop produced for a streamed sequence, filled on the executor and handed out one at a time
/// on the writer's side. A mutable struct: it lives in one enumerator's field and is never copied.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal struct ItemBatch<T>
{
    /// <summary>The most items produced in one executor hop.</summary>
    public const int Capacity = 64;

    private T[]? _items;
    private int _count;
    private int _next;

    /// <summary>Gets whether the fill in progress has produced no item yet.</summary>
    public readonly bool IsEmpty => _count == 0;

    /// <summary>Gets whether the fill in progress has produced <see cref="Capacity"/> items.</summary>
    public readonly bool IsFull => _count == Capacity;

    /// <summary>Starts a new fill: items not taken yet are dropped.</summary>
    public void Reset()
    {
        _items ??= new T[Capacity];
        _count = 0;
        _next = 0;
    }

    /// <summary>Adds an item produced by the fill in progress; <see cref="Reset"/> must have been called first.</summary>
    public void Add(T item) => _items![_count++] = item;

    /// <summary>Takes the next item, and lets go of the batch's reference to it.</summary>
    public bool TryTake(out T item)
    {
        if (_next >= _count)
        {
            item = default!;
            return false;
        }

        item = _items![_next];
        _items[_next++] = default!;
        return true;
    }
}
