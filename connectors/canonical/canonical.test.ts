import { goldenSuite } from '../shared/golden-suite.js';

goldenSuite('canonical');
