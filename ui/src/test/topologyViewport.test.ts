// Pan and zoom arithmetic: fit shows the whole drawing centred, zooming keeps the point under the
// pointer still, and the zoom stays within bounds.
import { expect, test } from 'vitest';
import { centreOn, fit, MAX_K, MIN_K, panBy, transformOf, zoomAt } from '../views/topology/viewport';

test('fit: the whole drawing, centred, never above 1:1', () => {
  expect(fit({ width: 2000, height: 500 }, 1000 + 32, 800)).toEqual({ x: 16, y: 275, k: 0.5 });
  expect(fit({ width: 100, height: 100 }, 800, 600)).toEqual({ x: 350, y: 250, k: 1 });
  expect(fit({ width: 100, height: 100 }, 0, 0)).toEqual({ x: 0, y: 0, k: 1 });
});

test('zoomAt keeps the point under the pointer where it is, within bounds', () => {
  const v = zoomAt({ x: 10, y: 20, k: 1 }, 2, 110, 220);
  // drawing point under (110, 220) was (100, 200) before, and is still
  expect([(110 - v.x) / v.k, (220 - v.y) / v.k]).toEqual([100, 200]);
  expect(zoomAt({ x: 0, y: 0, k: 1 }, 1000, 0, 0).k).toBe(MAX_K);
  expect(zoomAt({ x: 0, y: 0, k: 1 }, 0.00001, 0, 0).k).toBe(MIN_K);
});

test('panBy moves, centreOn puts the boxes in the middle, transformOf is one attribute', () => {
  expect(panBy({ x: 1, y: 2, k: 3 }, 10, -5)).toEqual({ x: 11, y: -3, k: 3 });
  const v = centreOn({ x: 0, y: 0, k: 1 }, [{ x: 1000, y: 500, width: 100, height: 50 }], 800, 600);
  expect([v.x + 1050 * v.k, v.y + 525 * v.k]).toEqual([400, 300]);
  expect(transformOf({ x: 1, y: 2, k: 0.5 })).toBe('translate(1 2) scale(0.5)');
});
