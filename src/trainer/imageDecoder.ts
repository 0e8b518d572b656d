// PNG/JPEG decoding for image-folder sources (data/imageFolder.ts), with the native TensorFlow
// that trains: tf.node.decodeImage, then a bilinear resize to the model input's size. Only the
// native backend (tfjs-node) has an image decoder; with another backend a run of an image folder
// says so instead of loading tfjs-node behind the chosen backend's back.
import type * as TfNode from '@tensorflow/tfjs-node';
import type { LoadedBackend } from './backend';
import type { DecodeImage } from './data/imageFolder';
import { DataError } from './data/errors';

export function imageDecoder(backend: LoadedBackend): DecodeImage {
  const node = (backend.tf as unknown as Partial<typeof TfNode>).node;
  if (backend.name !== 'tensorflow' || !node) {
    return () => {
      throw new DataError(`Image folders are decoded by native TensorFlow (@tensorflow/tfjs-node), but this run uses the ${backend.name} backend. Set the backend to "tensorflow" (or "auto" where tfjs-node loads).`, ['data', 'source', 'type']);
    };
  }
  const tf = backend.tf;
  return (bytes, height, width, channels) => tf.tidy(() => {
    const image = node.decodeImage(bytes, channels, 'int32', false) as unknown as ReturnType<typeof tf.zeros>;
    const resized = tf.image.resizeBilinear(tf.cast(image, 'float32') as Parameters<typeof tf.image.resizeBilinear>[0], [height, width]);
    return resized.dataSync() as Float32Array;
  });
}
