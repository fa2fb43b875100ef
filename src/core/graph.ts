/** The dependency graph between components: provisioning order, dependents, teardown. */
import { CycleError, UnknownComponentError } from './errors';

export { CycleError, UnknownComponentError };

export class DependencyGraph {
  private readonly deps = new Map<string, string[]>();
  private readonly order: string[];

  /**
   * @param nodes component names in declaration order (ties in every order follow it)
   * @param edges node → the nodes it depends on
   * @throws UnknownComponentError for an edge to a node that does not exist
   * @throws CycleError naming the cycle
   */
  constructor(nodes: readonly string[], edges: Readonly<Record<string, readonly string[]>>) {
    for (const node of nodes) this.deps.set(node, []);
    for (const [node, targets] of Object.entries(edges)) {
      if (!this.deps.has(node)) throw new UnknownComponentError(node, 'depends_on', nodes);
      for (const target of targets) {
        if (!this.deps.has(target)) throw new UnknownComponentError(target, node, nodes);
        const list = this.deps.get(node)!;
        if (!list.includes(target)) list.push(target);
      }
    }
    this.order = this.sort(nodes);
  }

  dependenciesOf(node: string): readonly string[] {
    return this.deps.get(node) ?? [];
  }

  dependentsOf(node: string): string[] {
    return this.order.filter((n) => this.dependenciesOf(n).includes(node));
  }

  /** Everything that depends on `node`, directly or not, in provisioning order. */
  transitiveDependentsOf(node: string): string[] {
    return this.reachable(node, (n) => this.dependentsOf(n));
  }

  /** Everything `node` depends on, directly or not, in provisioning order. */
  transitiveDependenciesOf(node: string): string[] {
    return this.reachable(node, (n) => this.dependenciesOf(n));
  }

  /** Provisioning order: every node after all of its dependencies. */
  topologicalOrder(): string[] {
    return [...this.order];
  }

  /** Teardown order: dependents first. */
  teardownOrder(): string[] {
    return [...this.order].reverse();
  }

  /** The sub-graph order restricted to `subset` (keeps provisioning order). */
  restrictTo(subset: Iterable<string>): string[] {
    const keep = new Set(subset);
    return this.order.filter((n) => keep.has(n));
  }

  private reachable(node: string, next: (n: string) => readonly string[]): string[] {
    const found = new Set<string>();
    const visit = (n: string): void => {
      for (const m of next(n)) if (!found.has(m)) (found.add(m), visit(m));
    };
    visit(node);
    return this.order.filter((n) => found.has(n));
  }

  private sort(nodes: readonly string[]): string[] {
    const state = new Map<string, 'visiting' | 'done'>();
    const sorted: string[] = [];
    const stack: string[] = [];
    const visit = (n: string): void => {
      if (state.get(n) === 'done') return;
      if (state.get(n) === 'visiting') {
        throw new CycleError([...stack.slice(stack.indexOf(n)), n]);
      }
      state.set(n, 'visiting');
      stack.push(n);
      for (const d of this.dependenciesOf(n)) visit(d);
      stack.pop();
      state.set(n, 'done');
      sorted.push(n);
    };
    for (const n of nodes) visit(n);
    return sorted;
  }
}
