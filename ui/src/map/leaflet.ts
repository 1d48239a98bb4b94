/**
 * Leaflet with the marker-cluster plugin attached. The plugin is a UMD script that extends the
 * global `L`, which Leaflet's own bundle sets: importing both here, in this order, keeps every
 * other module from depending on import order. Their stylesheets are imported with the app's
 * (styles/index.css), where their place in the cascade is chosen.
 */
import L from "leaflet";
import "leaflet.markercluster";

export default L;
