// A TypeDoc plugin (loaded by typedoc.json): every exported declaration of a package (class,
// function, variable, interface, type alias, enum) needs an `@example` in its comment, as
// CONTRIBUTING.md asks. TypeDoc's own `notDocumented` validation only checks that a comment
// exists. A missing example is a warning, and typedoc.json treats warnings as errors.
import { Application, ReflectionKind } from 'typedoc';

const CHECKED =
  ReflectionKind.Class |
  ReflectionKind.Function |
  ReflectionKind.Variable |
  ReflectionKind.Interface |
  ReflectionKind.TypeAlias |
  ReflectionKind.Enum;

/** @param {import('typedoc').Reflection} r */
function hasExample(r) {
  const comments = [r.comment];
  if ('signatures' in r && Array.isArray(r.signatures)) comments.push(...r.signatures.map((s) => s.comment));
  return comments.some((c) => c?.blockTags.some((t) => t.tag === '@example'));
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  const warned = new Set();
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    // In "packages" mode this runs once per package, then once on the merged project (whose
    // reflections were already checked: the set, keyed by source position, keeps warnings single).
    const visit = (container, where) => {
      for (const child of container.children ?? []) {
        if (child.kindOf(ReflectionKind.Module)) {
          visit(child, `${where}/${child.name}`);
        } else if (child.kindOf(CHECKED) && !hasExample(child)) {
          const source = child.sources?.[0];
          const key = source ? `${child.name}@${source.fileName}:${source.line}` : `${where}:${child.name}`;
          if (warned.has(key)) continue;
          warned.add(key);
          app.logger.warn(
            `${child.name} (${ReflectionKind[child.kind]}), exported from ${where}, has no @example: ` +
              'add a short one to its TSDoc comment (CONTRIBUTING.md: an example on every public export)',
          );
        }
      }
    };
    visit(project, project.packageName ?? project.name);
  });
}
