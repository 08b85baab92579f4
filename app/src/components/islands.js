// Loads the wasm and hydrates the islands, like Leptos' own island script
// (leptos/src/hydration/island_script.js, 0.8) with one difference: it gives the browser back
// its main thread between steps (after compiling the wasm, before each island), so that no
// single task blocks input for long on a slow phone (Lighthouse's "total blocking time").
((js, wasm) => {
  const children = [];
  const pause = () =>
    globalThis.scheduler && "yield" in globalThis.scheduler
      ? globalThis.scheduler.yield()
      : new Promise((resolve) => setTimeout(resolve, 0));
  async function hydrateIsland(el, mod) {
    const island = mod[el.dataset.component || ""];
    if (!island) {
      console.warn(`Could not find WASM function for the island ${el.dataset.component}.`);
      return;
    }
    const onChildren = children[children.length - 1];
    if (onChildren) onChildren();
    const done = island(el);
    if (done && done.then) await done;
  }
  async function traverse(node, mod) {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const tag = node.tagName.toLowerCase();
    if (tag === "leptos-island") {
      await pause();
      await hydrateIsland(node, mod);
      for (const child of node.children) await traverse(child, mod);
    } else if (tag === "leptos-children") {
      children.push(node.$$on_hydrate);
      for (const child of node.children) await traverse(child, mod);
      children.pop();
    } else {
      for (const child of node.children) await traverse(child, mod);
    }
  }
  const start = () =>
    import(js).then(async (mod) => {
      await mod.default({ module_or_path: wasm });
      await pause();
      mod.hydrate();
      window.__hydrateIsland = (el) => hydrateIsland(el, mod);
      await traverse(document.body, mod);
    });
  if ("requestIdleCallback" in window) window.requestIdleCallback(start);
  else start();
})
