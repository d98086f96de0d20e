{
  "$schema": "../../node_modules/nx/schemas/project-schema.json",
  "name": "__service__",
  "projectType": "application",
  "sourceRoot": "apps/__service__/src",
  "tags": ["type:app", "scope:__service__"],
  "targets": {
    "lint": {
      "executor": "nx:run-commands",
      "options": { "command": "npx eslint apps/__service__ --max-warnings=0 --no-error-on-unmatched-pattern" }
    },
    "test": {
      "executor": "nx:run-commands",
      "options": { "command": "npx jest --selectProjects unit integration --testPathPatterns apps/__service__ --passWithNoTests" }
    },
    "serve": {
      "executor": "nx:run-commands",
      "dependsOn": [],
      "options": { "command": "node dist/apps/__service__/src/main.js" }
    },
    "migrate": {
      "executor": "nx:run-commands",
      "options": { "command": "node dist/apps/__service__/src/migrate.js" }
    }
  }
}
