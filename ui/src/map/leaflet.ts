/**
 * Leaflet with the marker-cluster plugin attached. The plugin is a UMD script that extends the
 * global `L`, which Leaflet's own bundle sets: importing both here, in this order, keeps every
 * other module from depending on import order.
 */
import L from "leaflet";
import "leaflet.markercluster";
import "leaflet/dist/leaflet.css";
import "leaflet.markercluster/dist/MarkerCluster.css";

export default L;
