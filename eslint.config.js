import { o2Config } from '@o2/eslint-config';

export default o2Config(import.meta.dirname);
