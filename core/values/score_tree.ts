/**
 * The ordered half of a sorted set: an order-statistic B+tree of
 * `(score, member)` pairs, ordered by score and then by member bytes, as
 * Redis's skip list orders them.
 *
 * Why a B+tree and not a skip list: a skip list needs one object per element
 * (member, score, backward link, an array of forward links with spans),
 * about 100 bytes in V8. Here elements live in leaves as two parallel arrays
 * (member pointers and unboxed doubles), about 16 bytes per element, and
 * every operation Redis does in O(log n) stays O(log n): each inner node
 * keeps the element count of each child, so rank and select descend the
 * tree like a skip list's spans do.
 *
 * Inner nodes keep separator keys that are lower bounds: every key under
 * `children[i]` is at least `sep[i]`, and every key under `children[i - 1]`
 * is below it (`sep[0]` is unused). Deletions never invalidate a lower bound,
 * so only splits, merges and rebalances touch separators.
 *
 * Leaves are linked both ways, so a range is read by stepping a
 * {@link TreeCursor} from one element to the next.
 *
 * @module
 */

/** Most elements a leaf holds before it splits. */
const LEAF_MAX = 128;
/** A leaf with fewer elements borrows from or merges with a sibling. */
const LEAF_MIN = 32;
/** Most children an inner node holds before it splits. */
const INNER_MAX = 64;
/** An inner node with fewer children borrows from or merges with a sibling. */
const INNER_MIN = 16;
/** Fill of leaves and inner nodes built in bulk: room to grow before splitting. */
const BULK_LEAF = 96;
const BULK_INNER = 48;

/** A leaf: elements in order, as parallel arrays. */
class Leaf {
  members: string[];
  scores: number[];
  next: Leaf | null = null;
  prev: Leaf | null = null;

  constructor(members: string[], scores: number[]) {
    this.members = members;
    this.scores = scores;
  }
}

/** An inner node: children with their element counts and lower-bound separators. */
class Inner {
  children: TreeNode[];
  counts: number[];
  sepScores: number[];
  sepMembers: string[];

  constructor(children: TreeNode[], counts: number[], sepScores: number[], sepMembers: string[]) {
    this.children = children;
    this.counts = counts;
    this.sepScores = sepScores;
    this.sepMembers = sepMembers;
  }
}

type TreeNode = Leaf | Inner;

/** Orders two keys: by score, then by member bytes (shorter first on a common prefix). */
export function compareKeys(s1: number, m1: string, s2: number, m2: string): number {
  if (s1 < s2) return -1;
  if (s1 > s2) return 1;
  return m1 < m2 ? -1 : m1 > m2 ? 1 : 0;
}

/** A position in the tree: an element, or past either end when `leaf` is null. */
export class TreeCursor {
  /** Leaf of the current element, null once the cursor left the tree. */
  leaf: Leaf | null;
  /** Index of the current element in its leaf. */
  index: number;

  constructor(leaf: Leaf | null, index: number) {
    this.leaf = leaf;
    this.index = index;
  }

  /** True while the cursor is on an element. */
  get valid(): boolean {
    return this.leaf !== null;
  }

  /** Member of the current element. */
  get member(): string {
    return this.leaf!.members[this.index];
  }

  /** Score of the current element. */
  get score(): number {
    return this.leaf!.scores[this.index];
  }

  /** Moves to the next element in order. */
  next(): void {
    const leaf = this.leaf!;
    if (++this.index < leaf.members.length) return;
    this.leaf = leaf.next;
    this.index = 0;
  }

  /** Moves to the previous element in order. */
  prev(): void {
    if (--this.index >= 0) return;
    const leaf = this.leaf!.prev;
    this.leaf = leaf;
    this.index = leaf === null ? 0 : leaf.members.length - 1;
  }
}

/** An order-statistic tree of (score, member) pairs. Members must be unique. */
export class ScoreTree {
  #root: TreeNode = new Leaf([], []);
  #size = 0;
  // Separator produced by the last split, read by the caller of the split.
  #splitScore = 0;
  #splitMember = "";

  /** Number of elements. */
  get size(): number {
    return this.#size;
  }

  /** Builds a tree from pairs already in order (ascending score, then member). */
  static fromSorted(members: string[], scores: number[]): ScoreTree {
    const tree = new ScoreTree();
    const n = members.length;
    tree.#size = n;
    if (n <= LEAF_MAX) {
      tree.#root = new Leaf(members, scores);
      return tree;
    }
    let level: TreeNode[] = [];
    let counts: number[] = [];
    const leafCount = Math.ceil(n / BULK_LEAF);
    let prev: Leaf | null = null;
    for (let i = 0; i < leafCount; i++) {
      const from = Math.floor((i * n) / leafCount);
      const to = Math.floor(((i + 1) * n) / leafCount);
      const leaf = new Leaf(members.slice(from, to), scores.slice(from, to));
      leaf.prev = prev;
      if (prev !== null) prev.next = leaf;
      prev = leaf;
      level.push(leaf);
      counts.push(to - from);
    }
    while (level.length > 1) {
      const groups = level.length <= INNER_MAX ? 1 : Math.ceil(level.length / BULK_INNER);
      const upper: TreeNode[] = [];
      const upperCounts: number[] = [];
      for (let g = 0; g < groups; g++) {
        const from = Math.floor((g * level.length) / groups);
        const to = Math.floor(((g + 1) * level.length) / groups);
        const children = level.slice(from, to);
        const childCounts = counts.slice(from, to);
        const sepScores: number[] = [];
        const sepMembers: string[] = [];
        for (const child of children) {
          const first = firstLeaf(child);
          sepScores.push(first.scores[0]);
          sepMembers.push(first.members[0]);
        }
        upper.push(new Inner(children, childCounts, sepScores, sepMembers));
        upperCounts.push(sum(childCounts));
      }
      level = upper;
      counts = upperCounts;
    }
    tree.#root = level[0];
    return tree;
  }

  /** Adds a pair whose member is not in the tree. */
  insert(score: number, member: string): void {
    const right = this.#insertInto(this.#root, score, member);
    if (right !== null) {
      const left = this.#root;
      this.#root = new Inner(
        [left, right],
        [countOf(left), countOf(right)],
        [this.#splitScore, this.#splitScore],
        [this.#splitMember, this.#splitMember],
      );
    }
    this.#size++;
  }

  /** Removes a pair; returns false when it is not in the tree. */
  delete(score: number, member: string): boolean {
    if (!this.#deleteFrom(this.#root, score, member)) return false;
    this.#size--;
    let root = this.#root;
    while (root instanceof Inner && root.children.length === 1) root = root.children[0];
    this.#root = root;
    return true;
  }

  /** Number of pairs ordered before (score, member): its 0-based rank when present. */
  rank(score: number, member: string): number {
    let node = this.#root;
    let rank = 0;
    while (node instanceof Inner) {
      const i = childFor(node, score, member);
      for (let j = 0; j < i; j++) rank += node.counts[j];
      node = node.children[i];
    }
    return rank + leafLowerBound(node, score, member);
  }

  /** Number of pairs whose score is below `limit` (or at most `limit` when `inclusive`). */
  countScoreBelow(limit: number, inclusive: boolean): number {
    let node = this.#root;
    let count = 0;
    while (node instanceof Inner) {
      const seps = node.sepScores;
      let lo = 1;
      let hi = node.children.length - 1;
      let at = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const s = seps[mid];
        if (inclusive ? s <= limit : s < limit) {
          at = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      for (let j = 0; j < at; j++) count += node.counts[j];
      node = node.children[at];
    }
    const scores = node.scores;
    let lo = 0;
    let hi = scores.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const s = scores[mid];
      if (inclusive ? s <= limit : s < limit) lo = mid + 1;
      else hi = mid;
    }
    return count + lo;
  }

  /**
   * Number of pairs whose member is below `limit` (or at most `limit` when
   * `inclusive`), comparing members only. Meaningful when all scores are
   * equal, as Redis's lexicographic commands assume.
   */
  countMemberBelow(limit: string, inclusive: boolean): number {
    let node = this.#root;
    let count = 0;
    while (node instanceof Inner) {
      const seps = node.sepMembers;
      let lo = 1;
      let hi = node.children.length - 1;
      let at = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const m = seps[mid];
        if (inclusive ? m <= limit : m < limit) {
          at = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      for (let j = 0; j < at; j++) count += node.counts[j];
      node = node.children[at];
    }
    const members = node.members;
    let lo = 0;
    let hi = members.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = members[mid];
      if (inclusive ? m <= limit : m < limit) lo = mid + 1;
      else hi = mid;
    }
    return count + lo;
  }

  /** A cursor on the element of 0-based `rank` (invalid when out of range). */
  cursorAt(rank: number): TreeCursor {
    if (rank < 0 || rank >= this.#size) return new TreeCursor(null, 0);
    let node = this.#root;
    while (node instanceof Inner) {
      const counts = node.counts;
      let i = 0;
      while (rank >= counts[i]) rank -= counts[i++];
      node = node.children[i];
    }
    return new TreeCursor(node, rank);
  }

  /** Pairs in order. */
  *entries(): IterableIterator<[string, number]> {
    for (let leaf: Leaf | null = firstLeaf(this.#root); leaf !== null; leaf = leaf.next) {
      const { members, scores } = leaf;
      for (let i = 0; i < members.length; i++) yield [members[i], scores[i]];
    }
  }

  /** Score of `member` found by a linear walk (for trees too small to deserve an index). */
  scanForScore(member: string): number | undefined {
    for (let leaf: Leaf | null = firstLeaf(this.#root); leaf !== null; leaf = leaf.next) {
      const i = leaf.members.indexOf(member);
      if (i >= 0) return leaf.scores[i];
    }
    return undefined;
  }

  /** Calls `fn` for each pair in order (faster than {@link entries}). */
  forEach(fn: (member: string, score: number) => void): void {
    for (let leaf: Leaf | null = firstLeaf(this.#root); leaf !== null; leaf = leaf.next) {
      const { members, scores } = leaf;
      for (let i = 0; i < members.length; i++) fn(members[i], scores[i]);
    }
  }

  /** Checks the structural invariants (for tests); throws on the first violation. */
  verify(): void {
    const seen = { count: 0, lastScore: -Infinity, lastMember: null as string | null };
    const total = verifyNode(this.#root, true, null, null, seen);
    if (total !== this.#size) throw new Error(`size ${this.#size} but ${total} elements`);
  }

  #insertInto(node: TreeNode, score: number, member: string): TreeNode | null {
    if (node instanceof Leaf) {
      const i = leafLowerBound(node, score, member);
      insertAt(node, i, member, score);
      if (node.members.length <= LEAF_MAX) return null;
      // Appending past the last element (rising scores: timestamps, counters)
      // leaves the full leaf as it is instead of two half-empty ones.
      const appended = node.next === null && i === node.members.length - 1;
      return this.#splitLeaf(node, appended ? i : node.members.length >> 1);
    }
    const i = childFor(node, score, member);
    node.counts[i]++;
    const right = this.#insertInto(node.children[i], score, member);
    if (right === null) return null;
    const moved = countOf(right);
    node.counts[i] -= moved;
    node.children.splice(i + 1, 0, right);
    node.counts.splice(i + 1, 0, moved);
    node.sepScores.splice(i + 1, 0, this.#splitScore);
    node.sepMembers.splice(i + 1, 0, this.#splitMember);
    return node.children.length > INNER_MAX ? this.#splitInner(node) : null;
  }

  #splitLeaf(leaf: Leaf, at: number): Leaf {
    const right = new Leaf(leaf.members.splice(at), leaf.scores.splice(at));
    right.next = leaf.next;
    if (right.next !== null) right.next.prev = right;
    right.prev = leaf;
    leaf.next = right;
    this.#splitScore = right.scores[0];
    this.#splitMember = right.members[0];
    return right;
  }

  #splitInner(node: Inner): Inner {
    const half = node.children.length >> 1;
    const right = new Inner(
      node.children.splice(half),
      node.counts.splice(half),
      node.sepScores.splice(half),
      node.sepMembers.splice(half),
    );
    this.#splitScore = right.sepScores[0];
    this.#splitMember = right.sepMembers[0];
    return right;
  }

  #deleteFrom(node: TreeNode, score: number, member: string): boolean {
    if (node instanceof Leaf) {
      const i = leafLowerBound(node, score, member);
      if (i >= node.members.length || node.members[i] !== member) return false;
      removeAt(node, i);
      return true;
    }
    const i = childFor(node, score, member);
    if (!this.#deleteFrom(node.children[i], score, member)) return false;
    node.counts[i]--;
    rebalance(node, i);
    return true;
  }
}

/** Sum of an array of counts. */
function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** Elements under `node`. */
function countOf(node: TreeNode): number {
  return node instanceof Leaf ? node.members.length : sum(node.counts);
}

/** Entries of `node` itself (elements of a leaf, children of an inner node). */
function widthOf(node: TreeNode): number {
  return node instanceof Leaf ? node.members.length : node.children.length;
}

function firstLeaf(node: TreeNode): Leaf {
  while (node instanceof Inner) node = node.children[0];
  return node;
}

/** Inserts a pair at index `i` of `leaf` (a loop: `splice` allocates its result). */
function insertAt(leaf: Leaf, i: number, member: string, score: number): void {
  const { members, scores } = leaf;
  let k = members.length;
  members.push(member);
  scores.push(score);
  for (; k > i; k--) {
    members[k] = members[k - 1];
    scores[k] = scores[k - 1];
  }
  members[i] = member;
  scores[i] = score;
}

/** Removes the pair at index `i` of `leaf`. */
function removeAt(leaf: Leaf, i: number): void {
  const { members, scores } = leaf;
  const last = members.length - 1;
  for (let k = i; k < last; k++) {
    members[k] = members[k + 1];
    scores[k] = scores[k + 1];
  }
  members.pop();
  scores.pop();
}

/** Index of the first element of `leaf` not ordered before (score, member). */
function leafLowerBound(leaf: Leaf, score: number, member: string): number {
  const { scores, members } = leaf;
  let lo = 0;
  let hi = scores.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareKeys(scores[mid], members[mid], score, member) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The child of `node` whose key range holds (score, member). */
function childFor(node: Inner, score: number, member: string): number {
  const { sepScores, sepMembers } = node;
  let lo = 1;
  let hi = node.children.length - 1;
  let at = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (compareKeys(sepScores[mid], sepMembers[mid], score, member) <= 0) {
      at = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return at;
}

/** After a deletion under `parent.children[i]`: merge or rebalance it if it got too small. */
function rebalance(parent: Inner, i: number): void {
  const child = parent.children[i];
  const isLeaf = child instanceof Leaf;
  if (widthOf(child) >= (isLeaf ? LEAF_MIN : INNER_MIN)) return;
  if (parent.children.length < 2) return;
  const li = i > 0 ? i - 1 : i;
  const total = widthOf(parent.children[li]) + widthOf(parent.children[li + 1]);
  if (total <= (isLeaf ? LEAF_MAX : INNER_MAX)) merge(parent, li);
  else redistribute(parent, li, total >> 1);
}

/** Moves everything of `children[li + 1]` into `children[li]` and drops it. */
function merge(parent: Inner, li: number): void {
  const left = parent.children[li];
  const right = parent.children[li + 1];
  if (left instanceof Leaf) {
    const r = right as Leaf;
    for (let k = 0; k < r.members.length; k++) {
      left.members.push(r.members[k]);
      left.scores.push(r.scores[k]);
    }
    left.next = r.next;
    if (left.next !== null) left.next.prev = left;
  } else {
    const r = right as Inner;
    // The right node's first child gets the separator the parent held for it.
    r.sepScores[0] = parent.sepScores[li + 1];
    r.sepMembers[0] = parent.sepMembers[li + 1];
    for (let k = 0; k < r.children.length; k++) {
      left.children.push(r.children[k]);
      left.counts.push(r.counts[k]);
      left.sepScores.push(r.sepScores[k]);
      left.sepMembers.push(r.sepMembers[k]);
    }
  }
  parent.counts[li] += parent.counts[li + 1];
  parent.children.splice(li + 1, 1);
  parent.counts.splice(li + 1, 1);
  parent.sepScores.splice(li + 1, 1);
  parent.sepMembers.splice(li + 1, 1);
}

/** Moves entries between `children[li]` and `children[li + 1]` so the left keeps `keepLeft`. */
function redistribute(parent: Inner, li: number, keepLeft: number): void {
  const left = parent.children[li];
  const right = parent.children[li + 1];
  const leftWidth = widthOf(left);
  let moved: number;
  if (left instanceof Leaf) {
    const r = right as Leaf;
    if (leftWidth > keepLeft) {
      moved = leftWidth - keepLeft;
      r.members = left.members.splice(keepLeft).concat(r.members);
      r.scores = left.scores.splice(keepLeft).concat(r.scores);
      parent.counts[li] -= moved;
      parent.counts[li + 1] += moved;
    } else {
      moved = keepLeft - leftWidth;
      for (const m of r.members.splice(0, moved)) left.members.push(m);
      for (const s of r.scores.splice(0, moved)) left.scores.push(s);
      parent.counts[li] += moved;
      parent.counts[li + 1] -= moved;
    }
    parent.sepScores[li + 1] = r.scores[0];
    parent.sepMembers[li + 1] = r.members[0];
    return;
  }
  const r = right as Inner;
  r.sepScores[0] = parent.sepScores[li + 1];
  r.sepMembers[0] = parent.sepMembers[li + 1];
  if (leftWidth > keepLeft) {
    const counts = left.counts.splice(keepLeft);
    moved = sum(counts);
    r.children = left.children.splice(keepLeft).concat(r.children);
    r.counts = counts.concat(r.counts);
    r.sepScores = left.sepScores.splice(keepLeft).concat(r.sepScores);
    r.sepMembers = left.sepMembers.splice(keepLeft).concat(r.sepMembers);
    parent.counts[li] -= moved;
    parent.counts[li + 1] += moved;
  } else {
    const take = keepLeft - leftWidth;
    const counts = r.counts.splice(0, take);
    moved = sum(counts);
    for (const c of r.children.splice(0, take)) left.children.push(c);
    for (const c of counts) left.counts.push(c);
    for (const s of r.sepScores.splice(0, take)) left.sepScores.push(s);
    for (const m of r.sepMembers.splice(0, take)) left.sepMembers.push(m);
    parent.counts[li] += moved;
    parent.counts[li + 1] -= moved;
  }
  parent.sepScores[li + 1] = r.sepScores[0];
  parent.sepMembers[li + 1] = r.sepMembers[0];
}

interface VerifyState {
  count: number;
  lastScore: number;
  lastMember: string | null;
}

/** Checks one subtree: order, bounds, counts, fill; returns its element count. */
function verifyNode(
  node: TreeNode,
  isRoot: boolean,
  lowScore: number | null,
  lowMember: string | null,
  seen: VerifyState,
): number {
  if (node instanceof Leaf) {
    if (!isRoot && node.members.length < 1) throw new Error("empty leaf");
    if (node.members.length > LEAF_MAX) throw new Error("overfull leaf");
    for (let i = 0; i < node.members.length; i++) {
      const s = node.scores[i];
      const m = node.members[i];
      if (
        seen.lastMember !== null && compareKeys(seen.lastScore, seen.lastMember, s, m) >= 0
      ) throw new Error(`order broken at ${m}`);
      if (lowMember !== null && compareKeys(s, m, lowScore!, lowMember) < 0) {
        throw new Error(`separator is not a lower bound of ${m}`);
      }
      seen.lastScore = s;
      seen.lastMember = m;
    }
    return node.members.length;
  }
  if (node.children.length > INNER_MAX) throw new Error("overfull inner node");
  if (node.children.length < (isRoot ? 2 : 1)) throw new Error("inner node too small");
  let total = 0;
  for (let i = 0; i < node.children.length; i++) {
    const low = i === 0 ? lowScore : node.sepScores[i];
    const lowM = i === 0 ? lowMember : node.sepMembers[i];
    if (
      i > 0 && seen.lastMember !== null &&
      compareKeys(seen.lastScore, seen.lastMember, low!, lowM!) >= 0
    ) throw new Error(`separator ${lowM} is not above the keys before it`);
    const n = verifyNode(node.children[i], false, low, lowM, seen);
    if (n !== node.counts[i]) throw new Error(`count ${node.counts[i]} but ${n} elements`);
    total += n;
  }
  return total;
}
