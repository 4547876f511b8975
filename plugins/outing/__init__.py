"""Outings: itinerary, vehicles and seats, rooms, costs, safety notice and roll call."""
