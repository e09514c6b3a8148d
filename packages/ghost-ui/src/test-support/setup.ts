import { afterEach } from 'vitest';
import { destroyVirtualTerminals } from './virtual-terminal.js';

afterEach(destroyVirtualTerminals);
