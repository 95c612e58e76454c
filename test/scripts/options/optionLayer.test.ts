import { Command } from "commander";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { InputError, NameRegistry } from "../../../common/index.ts";
import {
  argument,
  choiceOption,
  deprecatedAlias,
  existingPathArg,
  fractionArg,
  intArg,
  jsonArg,
  listArg,
  numberArg,
  numberSchema,
  option,
  registryOption,
  seedOptions,
} from "../../../scripts/options/index.ts";

/** Parses `args` with a command built by `build`; returns the options or throws what the parse threw. */
function parse(build: (c: Command) => Command, args: string[]): Record<string, unknown> {
  let seen: Record<string, unknown> = {};
  const program = new Command().exitOverride();
  const c = build(program.command("x").exitOverride());
  c.configureOutput({ writeErr: () => {} }).action(function (this: Command) {
    seen = this.opts();
  });
  program.parse(["node", "cli", "x", ...args]);
  return seen;
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("option layer", () => {
  it("parses numbers, integers and fractions into values, with the parsed default", () => {
    const build = (c: Command) =>
      c
        .addOption(option("--seconds <s>", "", numberArg(numberSchema(0, 10)), 2))
        .addOption(option("--count <n>", "", intArg(1, 9)))
        .addOption(option("--amount <f>", "", fractionArg()));
    expect(parse(build, [])).toEqual({ seconds: 2 });
    expect(parse(build, ["--seconds", "2.5", "--count", "3", "--amount", "0"])).toEqual({ seconds: 2.5, count: 3, amount: 0 });
  });

  it("rejects bad values with one line naming the flag, the expectation and the text given", () => {
    const build = (c: Command) =>
      c
        .addOption(option("--seconds <s>", "", numberArg(numberSchema(0, 10))))
        .addOption(option("--count <n>", "", intArg(1, 9)))
        .addOption(option("--amount <f>", "", fractionArg({ open: true })));
    const cases: [string[], RegExp][] = [
      [["--seconds", "abc"], /^--seconds: expected a number in \[0, 10\], got "abc"$/],
      [["--seconds", ""], /^--seconds: expected a number in \[0, 10\], got ""$/],
      [["--seconds", "11"], /^--seconds: expected a number in \[0, 10\], got "11"$/],
      [["--count", "2.5"], /^--count: expected an integer in \[1, 9\], got "2.5"$/],
      [["--count", "0"], /^--count: expected an integer in \[1, 9\], got "0"$/],
      [["--amount", "0"], /^--amount: expected a fraction in \(0, 1\), got "0"$/],
    ];
    for (const [args, message] of cases) {
      const e = errorOf(() => parse(build, args));
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).where).toBe(args[0]);
      expect(e.message).toMatch(message);
      expect(e.message).not.toContain("\n");
    }
  });

  it("checks choices and lists registry names in help, accepting aliases as the canonical name", () => {
    const reg = new NameRegistry<number>("thing").register(
      { name: "one", description: "", value: 1, aliases: ["uno"] },
      { name: "two", description: "", value: 2 },
    );
    const build = (c: Command) =>
      c.addOption(choiceOption("--mode <m>", "mode", ["a", "b"], "a")).addOption(registryOption("--thing <t>", "thing", reg));
    expect(parse(build, ["--thing", "uno"])).toEqual({ mode: "a", thing: "one" });
    expect(errorOf(() => parse(build, ["--mode", "c"])).message).toBe('--mode: expected one of a, b, got "c"');
    expect(errorOf(() => parse(build, ["--thing", "three"])).message).toBe('--thing: unknown thing; expected one of one, two, got "three"');
    const help = build(new Command("x")).helpInformation();
    expect(help).toMatch(/choices: "one", "two"/);
    expect(help).not.toMatch(/uno/);
  });

  it("parses JSON through a zod schema, naming the field at fault", () => {
    const build = (c: Command) =>
      c.addOption(option("--goal <json>", "", jsonArg(z.strictObject({ collisions: z.number({ error: "expected a number" }) }))));
    expect(parse(build, ["--goal", '{"collisions":0}'])).toEqual({ goal: { collisions: 0 } });
    expect(errorOf(() => parse(build, ["--goal", "{"])).message).toMatch(/^--goal: not valid JSON/);
    expect(errorOf(() => parse(build, ["--goal", '{"collisions":"x"}'])).message).toMatch(/^--goal: collisions: expected a number/);
  });

  it("parses comma-separated lists item by item, naming the item at fault", () => {
    const build = (c: Command) => c.addOption(option("--rates <list>", "", listArg(numberArg(numberSchema(1, 60)))));
    expect(parse(build, ["--rates", "5, 10,20"])).toEqual({ rates: [5, 10, 20] });
    expect(errorOf(() => parse(build, ["--rates", "5,x"])).message).toBe('--rates: "x": expected a number in [1, 60], got "5,x"');
  });

  it("checks paths exist, naming the argument", () => {
    const build = (c: Command) => c.addArgument(argument("<model>", "", existingPathArg("file")));
    expect(errorOf(() => parse(build, ["/no/such/model.onnx"])).message).toBe('<model>: no such file, got "/no/such/model.onnx"');
    expect(errorOf(() => parse(build, ["/tmp"])).message).toBe('<model>: expected a file, not a folder, got "/tmp"');
  });

  it("keeps a deprecated spelling working, hidden from help, with a notice", () => {
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const build = (c: Command) =>
        deprecatedAlias(c.addOption(option("--batch-size <n>", "batch", intArg(1), 32)), "--batch <n>", "--batch-size");
      expect(parse(build, ["--batch", "8"]).batchSize).toBe(8);
      expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/--batch is deprecated; use --batch-size/));
      expect(errorOf(() => parse(build, ["--batch", "0"])).message).toMatch(/expected an integer ≥ 1, got "0"/);
      expect(build(new Command("x")).helpInformation()).not.toMatch(/--batch </);
    } finally {
      stderr.mockRestore();
    }
  });

  it("adds --seeds and --first-seed with the seed convention in their help", () => {
    const build = (c: Command) => seedOptions(c, 5);
    expect(parse(build, [])).toEqual({ seeds: 5, firstSeed: 0 });
    expect(parse(build, ["--seeds", "3", "--first-seed", "7"])).toEqual({ seeds: 3, firstSeed: 7 });
    expect(build(new Command("x")).helpInformation()).toMatch(/seeds count from 0/);
    expect(errorOf(() => parse(build, ["--seeds", "0"])).message).toMatch(/^--seeds: expected an integer in \[1, 100000\]/);
  });
});
