import en from 'zod/v4/locales/en.js';
import { config } from 'zod/mini';

/**
 * The zod this product uses: zod/mini, whose functions tree-shake (the classic build costs the Lambda bundle over
 * 400 KB), with English messages. Import it as `import * as z from './zod'`. Named re-exports, not a re-exported
 * namespace object: that would keep every locale and schema in the bundle.
 */
config(en());

export {
  _default,
  array,
  boolean,
  enum,
  int,
  literal,
  looseObject,
  minLength,
  nonnegative,
  number,
  object,
  optional,
  pipe,
  positive,
  prettifyError,
  record,
  refine,
  regex,
  string,
  transform,
  union,
  unknown,
  url,
  type input,
  type output,
} from 'zod/mini';
