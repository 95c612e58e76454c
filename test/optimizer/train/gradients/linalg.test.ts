import { describe, it } from "vitest";
import { checkGradients } from "../../../fixtures/gradcheck.ts";
import { gemm, matmul } from "../../../fixtures/reference/linalg.ts";

describe("Gemm gradient", () => {
  const gemmCase = (a: number[], b: number[], c: number[] | null, o: { alpha?: number; beta?: number; transA?: boolean; transB?: boolean }) => {
    const attributes: Record<string, number> = {};
    if (o.alpha !== undefined) attributes.alpha = o.alpha;
    if (o.beta !== undefined) attributes.beta = o.beta;
    if (o.transA) attributes.transA = 1;
    if (o.transB) attributes.transB = 1;
    return checkGradients({
      op: "Gemm",
      attributes,
      inputs: [{ name: "a", shape: a }, { name: "b", shape: b }, ...(c ? [{ name: "c", shape: c }] : [])],
      reference: (v) => gemm(v.a, v.b, v.c, o),
    });
  };
  it("Linear layer: transB = 1 with a bias row", () => gemmCase([4, 5], [3, 5], [3], { transB: true }));
  it("plain, alpha and beta, full C", () => gemmCase([4, 5], [5, 3], [4, 3], { alpha: 0.5, beta: 2 }));
  it("transA", () => gemmCase([5, 4], [5, 3], [1, 3], { transA: true }));
  it("transA and transB, no C", () => gemmCase([5, 4], [3, 5], null, { transA: true, transB: true, alpha: 1.5 }));
  it("beta with a column C", () => gemmCase([4, 5], [3, 5], [4, 1], { transB: true, beta: 0.25 }));
});

describe("MatMul gradient", () => {
  const mm = (a: number[], b: number[]) =>
    checkGradients({
      op: "MatMul",
      inputs: [
        { name: "a", shape: a },
        { name: "b", shape: b },
      ],
      reference: (v) => matmul(v.a, v.b),
    });
  it("2-D", () => mm([3, 4], [4, 5]));
  it("batched with a shared right operand", () => mm([2, 3, 4], [4, 2]));
  it("broadcast batch dims both ways", () => mm([2, 1, 3, 4], [3, 4, 2]));
  it("matrix dims of size 1 are not mistaken for broadcasting", () => mm([2, 3, 1], [1, 4]));
});
