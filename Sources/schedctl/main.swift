// Placeholder: commands arrive with the cron engine and config work.
print("schedctl: not implemented yet")
