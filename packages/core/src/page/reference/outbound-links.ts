import type { Element } from "hast";
import { SKIP, visit } from "unist-util-visit";
import { type LinkFilter, resolveTarget } from "../resolve-target.ts";

function optedOut(element: Element): boolean {
  return (
    element.properties.dataNoPingback !== undefined && element.properties.dataNoPingback !== null
  );
}

/**
 * Outbound link targets of `a[href]` and `area[href]` inside the scope elements, in
 * first-seen order without duplicates. Links inside `<template>` or inside (or on) an
 * element with `data-no-pingback` are not the post's.
 */
export function collectOutboundLinks(scope: readonly Element[], filter: LinkFilter): string[] {
  const seen = new Set<string>();
  for (const root of scope) {
    visit(root, "element", (node) => {
      if (node.tagName === "template" || optedOut(node)) return SKIP;
      if (node.tagName !== "a" && node.tagName !== "area") return;
      const href = node.properties.href;
      if (typeof href !== "string") return;
      const target = resolveTarget(href, filter);
      if (target !== undefined) seen.add(target);
    });
  }
  return [...seen];
}
