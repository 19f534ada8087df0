"""Warehouse access shared by every room: settings, one connection type for both engines."""

from loaders.warehouse.busy import WarehouseBusy
from loaders.warehouse.connection import Warehouse, connect
from loaders.warehouse.settings import WarehouseSettings, WarehouseSettingsError

__all__ = ["Warehouse", "WarehouseBusy", "WarehouseSettings", "WarehouseSettingsError", "connect"]
