/**
 * Runs plugins through their lifecycle (see core/plugin.ts for the contract).
 *
 * @module
 */

import type { Core, ShutdownRequest } from "../core/core.ts";
import { errorText } from "../core/core.ts";
import type { CairnPlugin, PluginContext, PluginHandle } from "../core/plugin.ts";

interface Running {
  plugin: CairnPlugin;
  handle: PluginHandle;
}

/** The plugins of one server, in setup order. */
export class PluginHost {
  #running: Running[] = [];
  #capabilities = new Map<string, { owner: string; implementation: unknown }>();
  readonly #core: Core;

  /** Creates a host for `core`. */
  constructor(core: Core) {
    this.#core = core;
  }

  /** Registers every plugin's config keys; throws on a duplicate key or plugin name. */
  registerConfig(plugins: readonly CairnPlugin[]): void {
    const names = new Set<string>();
    for (const plugin of plugins) {
      if (names.has(plugin.name)) throw new Error(`Plugin "${plugin.name}" is listed twice`);
      names.add(plugin.name);
      for (const spec of plugin.config ?? []) this.#core.config.register(spec);
    }
  }

  /** Calls `setup` of each plugin in order. A failure names the plugin. */
  async setup(plugins: readonly CairnPlugin[]): Promise<void> {
    for (const plugin of plugins) {
      let handle: PluginHandle | void;
      try {
        handle = await plugin.setup(this.#context(plugin));
      } catch (e) {
        throw new Error(`Cannot start plugin "${plugin.name}": ${errorText(e)}`);
      }
      this.#running.push({ plugin, handle: handle ?? {} });
    }
  }

  /**
   * Asks plugins that can load data, highest priority first, until one
   * loads (or answers `empty`); returns the name of the one that loaded,
   * or null when none had data.
   */
  async recover(): Promise<string | null> {
    const candidates = this.#running
      .filter((r) => r.handle.recover !== undefined)
      .sort((a, b) => b.handle.recover!.priority - a.handle.recover!.priority);
    for (const { plugin, handle } of candidates) {
      const result = await handle.recover!.load();
      if (result === "loaded") return plugin.name;
      if (result === "empty") return null;
    }
    return null;
  }

  /** Calls `ready` in setup order. */
  async ready(): Promise<void> {
    for (const { handle } of this.#running) await handle.ready?.();
  }

  /**
   * Calls `shutdown` in reverse setup order. Returns the first failure, or
   * null. Without `force` it stops at the first failure.
   */
  async shutdown(request: ShutdownRequest): Promise<Error | null> {
    let failure: Error | null = null;
    for (const { plugin, handle } of [...this.#running].reverse()) {
      try {
        await handle.shutdown?.(request);
      } catch (e) {
        failure ??= new Error(`Plugin "${plugin.name}" refused to shut down: ${errorText(e)}`);
        if (!request.force) return failure;
      }
    }
    return failure;
  }

  /** Calls `close` in reverse setup order; errors are logged, not thrown. */
  async close(): Promise<void> {
    const running = this.#running;
    this.#running = [];
    for (const { plugin, handle } of running.reverse()) {
      try {
        await handle.close?.();
      } catch (e) {
        this.#core.log.warning(`Plugin "${plugin.name}" failed to close: ${errorText(e)}`);
      }
    }
  }

  #context(plugin: CairnPlugin): PluginContext {
    const core = this.#core;
    return {
      core,
      bus: core.bus,
      config: core.config,
      log: core.log,
      registerCommands: (specs) => core.commands.register(specs, `plugin "${plugin.name}"`),
      addInfo: (section, provider) => core.addInfo(section, provider),
      addDurableSink: (sink) => core.durability.register(sink),
      addWriteGuard: (guard) => {
        core.writeGuards.push(guard);
      },
      provide: (capability, implementation) => {
        const existing = this.#capabilities.get(capability);
        if (existing !== undefined) {
          throw new Error(
            `Capability "${capability}" is already provided by plugin "${existing.owner}"`,
          );
        }
        this.#capabilities.set(capability, { owner: plugin.name, implementation });
      },
      use: <T>(capability: string) =>
        this.#capabilities.get(capability)?.implementation as T | undefined,
    };
  }
}
