"""Channel adapters, one file each; the registry lives in ``bot.channels.registry``."""
