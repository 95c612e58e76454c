import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { boundarySvg, Constraints, type CalibrationAxis } from "../../../index.ts";

const axes: CalibrationAxis[] = [
  { name: "heading.l1Error", direction: "lower-better", best: 0, worst: 0.4 },
  { name: "lanes.iou<&>", direction: "higher-better", best: 1, worst: 0.5 },
];

/** RGB at unit coordinates (u, v) of the single panel (layout constants of boundarySvg). */
async function pixelAt(svg: string, u: number, v: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const size = 420;
  const x = Math.round(60 + u * (size - 60 - 14));
  const y = Math.round(44 + 30 + (1 - v) * (size - 30 - 46));
  const i = (y * info.width + x) * 3;
  return [data[i], data[i + 1], data[i + 2]];
}

describe("boundarySvg", () => {
  // unit: pass (0.5, 0.5), fail (0.75, 0.75)
  const c = new Constraints(axes).add([0.2, 0.75], true).add([0.3, 0.625], false);
  const svg = boundarySvg(c);

  it("renders valid, invalid and uncertain regions where dominance puts them", async () => {
    expect(await pixelAt(svg, 0.25, 0.25)).toEqual([0xbf, 0xe3, 0xbf]); // valid
    expect(await pixelAt(svg, 0.9, 0.9)).toEqual([0xf3, 0xc4, 0xc4]); // invalid
    expect(await pixelAt(svg, 0.6, 0.3)).toEqual([0xee, 0xee, 0xee]); // uncertain
    expect(await pixelAt(svg, 0.3, 0.9)).toEqual([0xee, 0xee, 0xee]);
  });

  it("labels axes in metric units, escapes names and reports the classified share", () => {
    expect(svg).toContain("lanes.iou&lt;&amp;&gt; →worse");
    expect(svg).toContain(">0.2<"); // heading tick at the middle of the axis
    expect(svg).toContain(">0.75<"); // iou tick at the middle of the axis
    expect(svg).toContain("31.3% of the budget space classified"); // 0.25 + 0.0625
    expect(svg.match(/<circle /g)).toHaveLength(2);
  });

  it("draws one projection panel per pair of axes beyond two, and one panel for a single axis", () => {
    const three = new Constraints([...axes, { name: "d", direction: "lower-better", best: 0, worst: 1 }]).add([0.1, 0.9, 0.2], true);
    const svg3 = boundarySvg(three);
    expect(svg3.match(/fill="#eeeeee"/g)).toHaveLength(3);
    expect(svg3).toContain("other axes at best");
    const one = boundarySvg(new Constraints([axes[0]]).add([0.1], true).add([0.3], false));
    expect(one.match(/fill="#eeeeee"/g)).toHaveLength(1);
    expect(one).toContain("50.0% of the budget space classified");
  });
});
