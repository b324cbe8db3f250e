import { describe, expect, it } from "vitest";
import { lexicalEmbedder, type Embedder } from "./embedder";
import { encodeOperationVectors, operationVectors, type OperationVectors } from "./operation-vectors";

function counting(embedder: Embedder): Embedder & { asked: string[] } {
  const asked: string[] = [];
  return { id: embedder.id, asked, embed: (texts) => (asked.push(...texts), embedder.embed(texts)) };
}

const texts = ["GET  orders listOrders List orders limit", "POST  orders createOrder Create an order", "DELETE  orders id deleteOrder  id"];

describe("kept operation vectors", () => {
  it("give back every vector bit for bit without embedding", async () => {
    const lexical = lexicalEmbedder();
    const fresh = await lexical.embed(texts);
    const kept = JSON.parse(encodeOperationVectors(lexical.id, texts, fresh)) as OperationVectors;
    const embedder = counting(lexical);
    const { vectors, missing } = await operationVectors(embedder, texts, kept);
    expect(missing).toBe(0);
    expect(embedder.asked).toEqual([]);
    for (let k = 0; k < texts.length; k++) expect(vectors[k].every((v, d) => Object.is(v, fresh[k][d]))).toBe(true);
  });

  it("embed the texts not kept, and everything when another embedder kept them", async () => {
    const lexical = lexicalEmbedder();
    const kept = JSON.parse(encodeOperationVectors(lexical.id, texts.slice(0, 2), await lexical.embed(texts.slice(0, 2)))) as OperationVectors;
    const embedder = counting(lexical);
    const { vectors, missing } = await operationVectors(embedder, texts, kept);
    expect(missing).toBe(1);
    expect(embedder.asked).toEqual([texts[2]]);
    expect(vectors).toEqual(await lexical.embed(texts));
    const other = counting({ id: "openai:other", embed: (t) => lexical.embed(t) });
    expect((await operationVectors(other, texts, kept)).missing).toBe(3);
    expect(other.asked).toEqual(texts);
  });
});
