import { deepEqual, equal } from "node:assert/strict";
import { Config } from "./config.ts";
import { renderExampleConfig } from "./example.ts";
import { CORE_CONFIG_KEYS } from "./keys.ts";
import { applyConfigEntries } from "./load.ts";
import { parseTomlConfig } from "./toml.ts";

const EXAMPLE_PATH = new URL("../../cairn.toml", import.meta.url);

Deno.test("cairn.toml is the example generated from the key table", async () => {
  const onDisk = await Deno.readTextFile(EXAMPLE_PATH);
  equal(
    onDisk,
    renderExampleConfig(CORE_CONFIG_KEYS),
    "cairn.toml is out of date: run `deno run -A main.ts example-config > cairn.toml`",
  );
});

Deno.test("every key of the example, uncommented, reads back as its default", () => {
  const text = renderExampleConfig(CORE_CONFIG_KEYS)
    .split("\n")
    .filter((l) => /^# [a-z_-]+ = /.test(l))
    .map((l) => l.slice(2))
    .join("\n");
  const entries = parseTomlConfig(text, "cairn.toml");
  const specs = [...CORE_CONFIG_KEYS];
  deepEqual(entries.map((e) => e.name).sort(), specs.map((s) => s.name).sort());
  const config = new Config(CORE_CONFIG_KEYS);
  config.setWarningSink(() => {});
  applyConfigEntries(config, entries);
  for (const spec of specs) equal(config.getText(spec.name), spec.format(spec.default), spec.name);
});

Deno.test("every key Cairn acts on is explained in the example", () => {
  const text = renderExampleConfig(CORE_CONFIG_KEYS);
  deepEqual(text.match(/See Redis's documentation of [a-z-]+/g), null);
});
