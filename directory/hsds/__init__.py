"""The directory in Open Referral HSDS 3.0 / UK profile JSON: see `directory.hsds.serialize`."""
