// A folder of images with one subfolder per class (the layout of Keras'
// image_dataset_from_directory and torchvision's ImageFolder): classes are the subfolders,
// sorted by name; the class is the target `label`. PNG and JPEG files are decoded by
// TensorFlow and resized (bilinear) to the size of the model input. Decoding needs tfjs, which
// this data layer does not import: the trainer passes a decoder in (imageDecoder.ts). Without
// one (the data summary, which never loads TensorFlow) the folder is only listed and counted.
import fs from 'node:fs';
import path from 'node:path';
import type { DataSource, InputSpec } from '../../core/spec';
import { confineDataPath, type DataFolders } from './confine';
import type { Dataset } from './dataset';
import { DataError } from './errors';

export type ImageFolderSource = Extract<DataSource, { type: 'imageFolder' }>;

/** Decodes PNG/JPEG bytes to height x width x channels values in 0..255 (row-major), resized bilinearly; throws on a file that is not an image. */
export type DecodeImage = (bytes: Uint8Array, height: number, width: number, channels: number) => Float32Array;

export const IMAGE_TARGET = 'label';
const IMAGE_FILE = /\.(png|jpe?g)$/i;

export interface ImageListing {
  /** Class names, sorted. */
  classes: string[];
  /** Every image: its real path, its name relative to the folder (for messages) and its class index. */
  images: { file: string; name: string; label: number }[];
  /** Files that are not PNG/JPEG, skipped. */
  skipped: number;
}

/** The classes and images of the folder, each image confined like the folder (a link inside may not lead out). */
export function listImageFolder(source: ImageFolderSource, folders: DataFolders): ImageListing {
  const root = confineDataPath(source.path, 'folder', folders);
  const classes = fs.readdirSync(root, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && fs.statSync(path.join(root, e.name)).isDirectory())
    .map((e) => e.name).sort();
  if (classes.length === 0) {
    throw new DataError(`data.source.path '${source.path}' has no class subfolders: put the images of each class in a folder named after the class (${source.path}/cat/1.png, ${source.path}/dog/2.jpg).`, ['data', 'source', 'path']);
  }
  const images: ImageListing['images'] = [];
  let skipped = 0;
  classes.forEach((cls, label) => {
    for (const name of fs.readdirSync(path.join(root, cls)).sort()) {
      if (name.startsWith('.')) continue;
      if (!IMAGE_FILE.test(name)) { skipped++; continue; }
      const rel = path.join(source.path, cls, name);
      images.push({ file: confineDataPath(rel, 'file', folders), name: `${cls}/${name}`, label });
    }
  });
  if (images.length === 0) throw new DataError(`data.source.path '${source.path}' has class folders (${classes.join(', ')}) but no PNG or JPEG images in them.`, ['data', 'source', 'path']);
  return { classes, images, skipped };
}

/** [height, width, channels] of every example: the source's own size/channels, else the model input's shape. */
export function imageShape(source: ImageFolderSource, inputs: readonly InputSpec[] | undefined): [number, number, number] {
  // The model may be half-edited when the data preview asks: take its shape only when it is one.
  const input: unknown = Array.isArray(inputs) && inputs.length === 1 ? (inputs[0] as Partial<InputSpec> | null)?.shape : undefined;
  const fromInput = Array.isArray(input) && input.length === 3 && input.every((d) => Number.isInteger(d) && d > 0) ? input as number[] : undefined;
  const [height, width] = source.size ?? (fromInput ? [fromInput[0]!, fromInput[1]!] : [undefined, undefined]);
  const channels = source.channels ?? fromInput?.[2];
  if (height === undefined || width === undefined || channels === undefined) {
    throw new DataError('An imageFolder source needs the image size: give the model one input of shape [height, width, channels], or set data.source.size and data.source.channels.', ['data', 'source', 'size']);
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new DataError(`Images have 1 (grey), 3 (RGB) or 4 (RGBA) channels, not ${channels}: set data.source.channels or the model input's last size.`, source.channels !== undefined ? ['data', 'source', 'channels'] : ['model', 'inputs', 0, 'shape']);
  }
  return [height, width, channels];
}

/**
 * The images as a Dataset. With `decode`, every image is read and decoded; without it the
 * features are left empty (a listing: counts and classes, for the data summary).
 */
export function loadImageFolder(source: ImageFolderSource, folders: DataFolders, inputs: readonly InputSpec[] | undefined, decode: DecodeImage | undefined): Dataset {
  const listing = listImageFolder(source, folders);
  const [height, width, channels] = imageShape(source, inputs);
  const size = height * width * channels;
  const n = listing.images.length;
  const features = new Float32Array(decode ? n * size : 0);
  if (decode) {
    const factor = (source.pixels ?? 'unit') === 'unit' ? 1 / 255 : 1;
    listing.images.forEach((image, i) => {
      let pixels: Float32Array;
      try {
        pixels = decode(new Uint8Array(fs.readFileSync(image.file)), height, width, channels);
      } catch (err) {
        if (err instanceof DataError) throw err;
        // TensorFlow's own message is left out: it is about its internals, not the file.
        throw new DataError(`${source.path}/${image.name} is not a PNG or JPEG image that TensorFlow can decode. Remove or replace it.`, ['data', 'source', 'path']);
      }
      for (let j = 0; j < size; j++) features[i * size + j] = pixels[j]! * factor;
    });
  }
  const perClass = listing.classes.map((c, k) => `${c} ${listing.images.filter((im) => im.label === k).length}`).join(', ');
  return {
    n,
    featureNames: Array.from({ length: size }, (_, j) => `pixel${j}`),
    features,
    featureShape: [height, width, channels],
    targets: { [IMAGE_TARGET]: Float32Array.from(listing.images, (im) => im.label) },
    classes: { [IMAGE_TARGET]: listing.classes.length },
    classNames: { [IMAGE_TARGET]: listing.classes },
    report: [
      `${decode ? 'Decoded' : 'Listed'} ${n.toLocaleString('en-US')} images in ${listing.classes.length} classes from ${source.path} (${perClass})` +
      `${decode ? `, resized to ${height}x${width}x${channels}, pixels ${(source.pixels ?? 'unit') === 'unit' ? 'scaled to [0, 1]' : '0..255'}` : ''}` +
      `${listing.skipped ? `; ${listing.skipped} files that are not PNG or JPEG skipped` : ''}.`,
    ],
  };
}
