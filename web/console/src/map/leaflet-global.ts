import L from 'leaflet';

// leaflet-geoman is a classic script that extends the global L; import this module before it.
(window as unknown as { L: typeof L }).L = L;
