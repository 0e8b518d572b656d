// The types of shape inference, in their own module so that the layer families that compute
// shapes (shapes.ts, blockLayers.ts) can share them without importing each other.

/** A shape without the batch dimension. */
export type Shape = number[];

/** A layer's output, or what is wrong (`field` names the offending property, if one does). */
export type LayerShapeResult = { shape: Shape } | { problem: string; field?: string } | { unknown: true };
