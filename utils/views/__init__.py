"""Layer 5: what the user sees or takes away: map layers, charts, briefing, exports. No Streamlit."""
