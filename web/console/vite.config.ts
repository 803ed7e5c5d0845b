import { defineConfig } from 'vite';

// The console is served by fleetd at the site root; hashed files go under /assets/
// so the Go handler can give them a long cache lifetime.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    // dist/.gitkeep is recreated by the build script after vite empties the folder.
    emptyOutDir: true,
  },
  server: {
    // `npm run dev` talks to a fleetd running locally (make run).
    proxy: {
      '/api': 'http://localhost:8080',
      '/ws': { target: 'ws://localhost:8080', ws: true },
    },
  },
});
