//! A simulated Open API service.
