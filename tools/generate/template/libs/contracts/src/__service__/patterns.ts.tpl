/** Message patterns the __service__ service answers. */
export const __SERVICE__ = {
  create__Thing__: '__service__.__domain__.create',
  get__Thing__: '__service__.__domain__.get',
  list__Domain__: '__service__.__domain__.list',
  move__Thing__: '__service__.__domain__.move',
} as const;
