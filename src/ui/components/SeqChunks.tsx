// Renders a long, append-mostly list in chunks keyed by sequence number, each chunk memoized: an
// append re-renders only the last chunk, and trimming the oldest items only the first, instead of
// every row on every update.
import { memo, type ReactNode } from 'react';

export const CHUNK_SEQS = 64;

interface Sequenced {
  seq: number;
}

interface ChunkProps<T extends Sequenced> {
  items: readonly T[];
  renderItem: (item: T) => ReactNode;
}

function ChunkView<T extends Sequenced>({ items, renderItem }: ChunkProps<T>) {
  return <>{items.map(renderItem)}</>;
}

/** Items are immutable objects: same length and same first and last object mean the same chunk. */
const Chunk = memo(ChunkView, (a, b) => a.items.length === b.items.length && a.items[0] === b.items[0] && a.items.at(-1) === b.items.at(-1)) as typeof ChunkView;

export function SeqChunks<T extends Sequenced>({ items, renderItem }: ChunkProps<T>) {
  const chunks = new Map<number, T[]>();
  for (const item of items) {
    const key = Math.floor(item.seq / CHUNK_SEQS);
    const chunk = chunks.get(key);
    if (chunk === undefined) chunks.set(key, [item]);
    else chunk.push(item);
  }
  return (
    <>
      {[...chunks].map(([key, chunk]) => (
        <Chunk key={key} items={chunk} renderItem={renderItem} />
      ))}
    </>
  );
}
