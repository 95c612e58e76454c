import { BufferAttribute, BufferGeometry } from "three";

/**
 * An uncapped prism along +Z from 0 to 1 with `sides` faces, base radius 1
 * and top radius `topRadius` (a tapered stem when < 1): the cheapest solid
 * for thin vertical things whose caps the camera never sees.
 */
export function prismGeometry(sides: number, topRadius = 1): BufferGeometry {
  const pos: number[] = [];
  const idx: number[] = [];
  for (let k = 0; k < sides; k++) {
    const a = (k * 2 * Math.PI) / sides;
    pos.push(Math.cos(a), Math.sin(a), 0, topRadius * Math.cos(a), topRadius * Math.sin(a), 1);
  }
  for (let k = 0; k < sides; k++) {
    const b0 = 2 * k;
    const b1 = 2 * ((k + 1) % sides);
    idx.push(b0, b1, b0 + 1, b1, b1 + 1, b0 + 1);
  }
  const g = new BufferGeometry();
  g.setAttribute("position", new BufferAttribute(new Float32Array(pos), 3));
  g.setIndex(idx);
  g.computeVertexNormals();
  return g;
}
