// Small browser helpers the console calls through JS interop.
window.ladybug = {
  // Keeps a log view at its newest line; a second frame lets the virtualiser render the tail first.
  scrollToEnd(element) {
    if (!element) return;
    element.scrollTop = element.scrollHeight;
    requestAnimationFrame(() => { element.scrollTop = element.scrollHeight; });
  },
  async copy(text) {
    await navigator.clipboard.writeText(text);
  },
};
