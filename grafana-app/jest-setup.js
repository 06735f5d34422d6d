// Jest setup provided by Grafana scaffolding, for the jsdom tests only (the browser test runs in node).
if (typeof window !== 'undefined') {
  require('./.config/jest-setup');
  // jsdom has no canvas; Grafana's Combobox measures option text with one.
  HTMLCanvasElement.prototype.getContext = () => ({ measureText: (text) => ({ width: text.length * 7 }) });
  // jsdom has no ResizeObserver/IntersectionObserver; Grafana's Drawer and ScrollContainer use them.
  class NoopObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
    takeRecords() {
      return [];
    }
  }
  window.ResizeObserver = window.ResizeObserver || NoopObserver;
  window.IntersectionObserver = window.IntersectionObserver || NoopObserver;
}
